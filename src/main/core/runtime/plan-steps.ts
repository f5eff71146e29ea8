// Remote work as data: ordered steps the SSH layer executes in order, stopping at the first failure.
// Commands are argument arrays; the SSH layer's quoting module turns them into the remote command
// line (and prefixes `sudo -n` where `sudo` is set). Nothing here builds a shell string.
import { EdgeError } from '../../../shared/errors'

export interface RunStep {
  kind: 'run'
  id: string
  title: string
  argv: string[]
  sudo: boolean
  /** Fed to the command's stdin (sha256sum -c - reads its list from there). */
  stdin?: string
}

export interface UploadStep {
  kind: 'upload'
  id: string
  title: string
  local: string
  remote: string
  size: number
  sha256: string
  mode: number
  /** `local` is gzip: the unit unpacks it as it arrives, `remote` and `sha256` are the unpacked file's. */
  gunzip?: boolean
}

/** A small file whose content the plan already holds (meta.json). */
export interface WriteStep {
  kind: 'write'
  id: string
  title: string
  remote: string
  content: string
  mode: number
}

export type PlanStep = RunStep | UploadStep | WriteStep

export function run(id: string, title: string, argv: string[], options: { sudo?: boolean; stdin?: string } = {}): RunStep {
  return { kind: 'run', id, title, argv, sudo: options.sudo ?? false, ...(options.stdin !== undefined ? { stdin: options.stdin } : {}) }
}

/**
 * The one-link-switch of the issue: a new link under a temporary name renamed over `current`.
 * `ln -sfn` unlinks then links, so a power cut in between leaves no `current` at all; rename(2) does not.
 */
export function switchLinkSteps(dir: string, target: string, what: string): RunStep[] {
  const tmp = `${dir}/.current.tmp`
  const link = `${dir}/current`
  return [
    run(`${what}-link-clean`, 'Remove a leftover temporary link', ['rm', '-f', '--', tmp], { sudo: true }),
    run(`${what}-link-new`, `Point a temporary link at ${target}`, ['ln', '-s', '--', target, tmp], { sudo: true }),
    run(`${what}-link-switch`, `Switch ${what} to ${target}`, ['mv', '-T', '--', tmp, link], { sudo: true }),
    run(`${what}-link-sync`, 'Flush the switch to disk', ['sync'])
  ]
}

/** `sha256sum -c` input for absolute paths on the device. */
export function sumsFor(entries: readonly { path: string; sha256: string }[]): string {
  return entries.map((e) => `${e.sha256}  ${e.path}\n`).join('')
}

export function checkSumsStep(id: string, title: string, entries: readonly { path: string; sha256: string }[]): RunStep {
  return run(id, title, ['sha256sum', '--quiet', '--strict', '-c', '-'], { stdin: sumsFor(entries) })
}

/** Version and directory names go into paths on the device: one plain segment, never a dot name. */
export function isSafeName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/.test(name) && name !== 'current'
}

export function assertSafeName(kind: string, name: string): void {
  if (!isSafeName(name)) {
    throw new EdgeError('INVALID_INPUT', `${kind} "${name}" must be letters, digits, ".", "_", "+" or "-", start with a letter or digit, and not be "current"`)
  }
}

/** Lists version directories with their modification time: input to prunePlan. */
export function listVersionsStep(id: string, dir: string): RunStep {
  return run(id, `List ${dir}`, ['find', dir, '-mindepth', '1', '-maxdepth', '1', '-type', 'd', '-printf', '%T@ %f\\n'])
}

/**
 * Removes all but the newest `keep` version directories, given `find -printf '%T@ %f\n'` output.
 * `protect` (the current target, a rollback target) is never removed and counts towards `keep`.
 * Staging directories (dot names) are left alone: they belong to a push, whose `cleanup` steps (or
 * the next push of that version) remove them.
 */
export function pruneSteps(dir: string, findOutput: string, keep: number, protect: readonly string[], what: string): RunStep[] {
  const entries = findOutput
    .split('\n')
    .map((line) => /^(\d+(?:\.\d+)?) (.+)$/.exec(line.trim()))
    .flatMap((m) => (m ? [{ time: Number(m[1]), name: m[2] as string }] : []))
    .filter((e) => !e.name.startsWith('.') && e.name !== 'current')
    .sort((a, b) => b.time - a.time || b.name.localeCompare(a.name))
  const kept = new Set(protect.filter((p) => entries.some((e) => e.name === p)))
  for (const e of entries) {
    if (kept.size >= keep) break
    kept.add(e.name)
  }
  return entries
    .filter((e) => !kept.has(e.name))
    .map((e) => run(`${what}-prune-${e.name}`, `Remove old ${what} ${e.name}`, ['rm', '-rf', '--', `${dir}/${e.name}`], { sudo: true }))
}
