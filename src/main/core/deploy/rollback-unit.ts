// A rollback on one unit: `current` moves to a version already there (the one pushed before the
// current one, or a named one) and the service is checked to serve it. Nothing is uploaded.
import { EdgeError } from '../../../shared/errors'
import { deviceLayout, type DeviceLayout } from '../runtime'
import { waitForService, type WaitOptions } from './device-health'
import type { DeviceShell } from './device-shell'
import type { StepIo } from './run-plan-step'
import { switchAndWait } from './push-to-unit'
import { currentModelVersion, listModelVersions, previousVersion } from './unit-models'

export interface RollbackUnitOptions {
  /** A version on the unit; default: the one pushed before the current one. */
  version?: string | undefined
  loadTimeoutMs?: number
  layout?: DeviceLayout
  wait?: Pick<WaitOptions, 'pollMs' | 'sleep' | 'now'>
}

export interface RollbackUnitResult {
  fromVersion: string | null
  toVersion: string
}

export async function rollbackUnit(shell: DeviceShell, opts: RollbackUnitOptions, io: StepIo): Promise<RollbackUnitResult> {
  const layout = opts.layout ?? deviceLayout()
  const { signal } = io
  const from = await currentModelVersion(shell, signal, layout)
  const { versions } = await listModelVersions(shell, signal, layout)
  const to = opts.version ?? previousVersion(versions, from)
  if (!to) throw new EdgeError('MODEL_NO_EARLIER_VERSION', shell.where)
  if (!versions.some((v) => v.version === to)) throw new EdgeError('MODEL_VERSION_NOT_ON_UNIT', `${to} (on ${shell.where}: ${versions.map((v) => v.version).join(', ') || 'none'})`)
  io.log('info', `Switching ${shell.where} from ${from ?? 'no model'} to ${to}`)
  const wait: WaitOptions = { signal, timeoutMs: opts.loadTimeoutMs ?? 90_000, ...opts.wait }
  await waitForService(shell, wait)
  await switchAndWait(shell, to, layout, io, wait)
  return { fromVersion: from, toVersion: to }
}
