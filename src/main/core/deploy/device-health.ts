// The inference service's /health, read on the unit through the SSH connection, and the waits a
// push needs: "does the service answer at all" before switching, and "does it serve the version
// `current` now names, or did it refuse it" after.
import type { HealthResponse } from '../../../agent/protocol'
import { EdgeError } from '../../../shared/errors'
import { pushHealthVerdict, type PushHealth } from '../runtime'
import type { DeviceShell } from './device-shell'
import { abortableSleep } from '../abortable-sleep'

export interface WaitOptions {
  signal: AbortSignal
  timeoutMs: number
  pollMs?: number
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
  now?: () => number
}

export async function readHealth(shell: DeviceShell, opts: { signal: AbortSignal; timeoutMs?: number }): Promise<HealthResponse> {
  const r = await shell.inference({ path: '/health', signal: opts.signal, timeoutMs: opts.timeoutMs ?? 10_000 })
  // The agent answers 503 (with the same body) while it serves no model: still an answer.
  let health: Partial<HealthResponse> | null = null
  try {
    health = JSON.parse(r.body) as Partial<HealthResponse>
  } catch {
    health = null
  }
  if (!health || typeof health.status !== 'string') throw new EdgeError('INFERENCE_SERVICE_DOWN', `${shell.where} (/health answered HTTP ${r.status} without a health report)`)
  return health as HealthResponse
}

/** Errors that mean "the service is not (yet) answering", as opposed to a dead link or a cancel. */
function notAnswering(err: unknown): boolean {
  return err instanceof EdgeError && ['REMOTE_PORT_CLOSED', 'TIMEOUT', 'INFERENCE_SERVICE_DOWN'].includes(err.code)
}

/** Polls /health until `decide` says done; resolves to its answer, or to null with the last reason at the deadline. */
export async function pollHealth<T>(
  shell: DeviceShell,
  decide: (h: HealthResponse) => T | null,
  opts: WaitOptions
): Promise<{ value: T; health: HealthResponse } | { value: null; health: HealthResponse | null; reason: string }> {
  const now = opts.now ?? Date.now
  const sleep = opts.sleep ?? abortableSleep
  const deadline = now() + opts.timeoutMs
  let last: HealthResponse | null = null
  let reason = 'no answer yet'
  for (;;) {
    try {
      last = await readHealth(shell, { signal: opts.signal, timeoutMs: Math.max(1000, Math.min(10_000, deadline - now())) })
      const value = decide(last)
      if (value !== null) return { value, health: last }
      reason = `status ${last.status}, serving ${last.model?.version ?? 'nothing'}`
    } catch (err) {
      if (!notAnswering(err)) throw err
      reason = (err as EdgeError).message
    }
    if (now() >= deadline) return { value: null, health: last, reason }
    await sleep(opts.pollMs ?? 1000, opts.signal)
  }
}

/** Resolves once the service answers /health at all; throws INFERENCE_SERVICE_DOWN at the deadline. */
export async function waitForService(shell: DeviceShell, opts: WaitOptions): Promise<HealthResponse> {
  const r = await pollHealth(shell, (h) => h, opts)
  if (r.value === null) throw new EdgeError('INFERENCE_SERVICE_DOWN', `${shell.where} (${r.reason})`)
  return r.value
}

export type SwitchVerdict = Exclude<PushHealth, { state: 'pending' }> | { state: 'timeout'; version: string; reason: string }

/** After `current` moved to `version`: serving it, refused it (load error), or no verdict in time. */
export async function waitForVersion(shell: DeviceShell, version: string, opts: WaitOptions): Promise<SwitchVerdict> {
  // Polled often: the load is seconds and the technician waits on this answer; a /health is tiny.
  const r = await pollHealth(shell, (h) => {
    const v = pushHealthVerdict(h, version)
    // A load error counts only once the agent has seen the new link (not one left from an earlier try).
    if (v.state === 'failed' && h.currentTarget !== version) return null
    return v.state === 'pending' ? null : v
  }, { pollMs: 250, ...opts })
  return r.value ?? { state: 'timeout', version, reason: r.reason }
}
