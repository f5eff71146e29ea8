// Files a benchmark needs on a unit (the model, a labelled sample set): copied once per content,
// named by sha256 in a per-user folder under /tmp and checked by sha256 on the unit, so running the
// same model or set again sends nothing. The bench job and the profile's benchmark step both use it.
import path from 'node:path'
import { EdgeError } from '../../../shared/errors'
import { sha256File } from '../runtime/bundle-manifest'
import type { RunOptions, RunResult } from '../ssh/ssh-session'

export interface UnitFileShell {
  run(argv: string[], opts?: RunOptions): Promise<RunResult>
  upload(localPath: string, remotePath: string, opts: { mode: number; signal?: AbortSignal }): Promise<void>
}

// Generous: a unit that is busy (an emulated board, another benchmark on its only core) answers slowly.
export const QUICK_MS = 60_000

export type EnsureOnUnit = (local: string, ext: '.onnx' | '.json', sha256?: string) => Promise<string>

/** Makes the unit's folder for `user` and returns the function that puts a file there (its remote path). */
export async function unitBenchFiles(shell: UnitFileShell, user: string, label: string, signal: AbortSignal): Promise<EnsureOnUnit> {
  const dir = `/tmp/edgedock-bench-${user}`
  const made = await shell.run(['mkdir', '-p', '-m', '0700', '--', dir], { signal, timeoutMs: QUICK_MS })
  if (made.code !== 0) throw new EdgeError('BENCH_FAILED', `${label}: cannot make ${dir}: ${made.stderr.trim().slice(0, 200)}`)
  return async (local, ext, known) => {
    const sha256 = known ?? (await sha256File(local))
    const remote = path.posix.join(dir, `${sha256}${ext}`)
    const has = await shell.run(['sha256sum', '--', remote], { signal, timeoutMs: QUICK_MS })
    if (has.code === 0 && has.stdout.startsWith(sha256)) return remote
    await shell.upload(local, remote, { mode: 0o600, signal })
    const check = await shell.run(['sha256sum', '--', remote], { signal, timeoutMs: QUICK_MS })
    if (check.code !== 0 || !check.stdout.startsWith(sha256)) throw new EdgeError('BENCH_FAILED', `${label}: the copy of ${path.basename(local)} on the unit does not match (sha256)`)
    return remote
  }
}
