// Reading what a unit has: the `current` links, the version directories (with their meta.json), and
// choosing the version a rollback goes to.
import path from 'node:path'
import type { DeviceModel } from '../../../shared/deploy'
import { deviceLayout, modelListStep, type DeviceLayout } from '../runtime'
import type { DeviceShell } from './device-shell'
import { runPlanStep } from './run-plan-step'

export interface VersionDir {
  version: string
  /** Modification time (s): when the version's files were written, i.e. when it was pushed. */
  time: number
}

export async function readLink(shell: DeviceShell, link: string, signal: AbortSignal): Promise<string | null> {
  const r = await shell.run(['readlink', '--', link], { signal })
  return r.code === 0 ? versionOfLink(r.stdout) : null
}

/** The version a `current` link names, from readlink's output; null when it names nothing. */
export function versionOfLink(readlinkOutput: string): string | null {
  const target = readlinkOutput.trim()
  return target ? path.posix.basename(target) : null
}

export const currentModelVersion = (shell: DeviceShell, signal: AbortSignal, layout: DeviceLayout = deviceLayout()) => readLink(shell, layout.modelsCurrent, signal)
export const currentRuntimeVersion = (shell: DeviceShell, signal: AbortSignal, layout: DeviceLayout = deviceLayout()) => readLink(shell, layout.runtimeCurrent, signal)

/** `find -printf '%T@ %f\n'` output as version directories, newest first (dot names and `current` left out). */
export function parseVersionList(findOutput: string): VersionDir[] {
  return findOutput
    .split('\n')
    .map((line) => /^(\d+(?:\.\d+)?) (.+)$/.exec(line.trim()))
    .flatMap((m) => (m ? [{ time: Number(m[1]), version: m[2] as string }] : []))
    .filter((e) => !e.version.startsWith('.') && e.version !== 'current')
    .sort((a, b) => b.time - a.time || b.version.localeCompare(a.version))
}

export async function listModelVersions(shell: DeviceShell, signal: AbortSignal, layout: DeviceLayout = deviceLayout()): Promise<{ raw: string; versions: VersionDir[] }> {
  const r = await shell.run(modelListStep(layout).argv, { signal })
  // No models directory yet: nothing was ever pushed.
  const raw = r.code === 0 ? r.stdout : ''
  return { raw, versions: parseVersionList(raw) }
}

export async function readModelMeta(shell: DeviceShell, version: string, signal: AbortSignal, layout: DeviceLayout = deviceLayout()): Promise<DeviceModel | null> {
  const r = await shell.run(['cat', '--', path.posix.join(layout.modelsDir, version, 'meta.json')], { signal })
  return r.code === 0 ? parseModelMeta(r.stdout) : null
}

/** A version's meta.json as the unit holds it; null when it is not one. */
export function parseModelMeta(json: string): DeviceModel | null {
  try {
    const m = JSON.parse(json) as Partial<DeviceModel>
    return typeof m.name === 'string' && typeof m.version === 'string' && typeof m.sha256 === 'string' ? { name: m.name, version: m.version, sha256: m.sha256 } : null
  } catch {
    return null
  }
}

/**
 * The version a plain "rollback" goes to: the newest one pushed before the current one. Going back
 * twice walks further back (v3 -> v2 -> v1) rather than toggling between two versions.
 */
export function previousVersion(versions: readonly VersionDir[], current: string | null): string | null {
  const i = versions.findIndex((v) => v.version === current)
  if (i < 0) return versions[0]?.version ?? null
  return versions[i + 1]?.version ?? null
}

export async function removeVersion(shell: DeviceShell, version: string, io: { signal: AbortSignal; log: (l: 'info' | 'warn' | 'error', t: string) => void }, layout: DeviceLayout = deviceLayout()): Promise<void> {
  await runPlanStep(shell, { kind: 'run', id: `model-remove-${version}`, title: `Remove model ${version}`, argv: ['rm', '-rf', '--', path.posix.join(layout.modelsDir, version)], sudo: true }, io)
}
