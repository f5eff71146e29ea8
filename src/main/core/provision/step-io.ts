// How steps talk to a unit: every command is logged, and a failing one becomes a step failure that
// says in plain words what failed, with the command's output kept in the job log.
import { EdgeError } from '../../../shared/errors'
import type { RemoteShell, RunOptions, RunResult } from './remote-shell'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type Log = (level: LogLevel, text: string) => void

const OUTPUT_LIMIT = 8_000

/** For the log only: how the command reads to a person. Never sent to a unit. */
export function displayArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./*-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')
}

function clip(text: string): string {
  const t = text.trimEnd()
  return t.length > OUTPUT_LIMIT ? `…${t.slice(-OUTPUT_LIMIT)}` : t
}

export interface StepIo {
  readonly signal: AbortSignal
  readonly log: Log
  /** Runs a command and returns whatever it said; the caller judges the exit code. */
  read(argv: string[], opts?: RunOptions): Promise<RunResult>
  /** Runs a command that must succeed; otherwise the step fails with `what` and the output is logged. */
  must(argv: string[], what: string, opts?: RunOptions): Promise<RunResult>
  /** Fails the step with `what`, logging the output of the command that showed the problem. */
  fail(what: string, result?: RunResult, argv?: readonly string[]): never
}

export function stepIo(shell: RemoteShell, signal: AbortSignal, log: Log): StepIo {
  const fail = (what: string, result?: RunResult, argv?: readonly string[]): never => {
    if (result) {
      const lines = [`${what} (exit code ${result.code})${argv ? `: ${displayArgv(argv)}` : ''}`]
      if (result.stdout.trim()) lines.push(`stdout:\n${clip(result.stdout)}`)
      if (result.stderr.trim()) lines.push(`stderr:\n${clip(result.stderr)}`)
      log('error', lines.join('\n'))
    }
    const said = result ? (result.stderr.trim() || result.stdout.trim()).split('\n')[0] : undefined
    throw new EdgeError('PROVISION_STEP_FAILED', said ? `${what} (the unit said: ${said.slice(0, 200)})` : what)
  }
  const read = async (argv: string[], opts: RunOptions = {}) => {
    signal.throwIfAborted()
    log('debug', `${opts.sudo ? 'sudo ' : ''}${displayArgv(argv)}`)
    return shell.run(argv, { signal, ...opts })
  }
  return {
    signal,
    log,
    read,
    fail,
    async must(argv, what, opts) {
      const r = await read(argv, opts)
      if (r.code !== 0) fail(what, r, argv)
      return r
    }
  }
}

/** Reads a text file; null when it does not exist. */
export async function readFile(io: StepIo, path: string, opts: { sudo?: boolean } = {}): Promise<string | null> {
  const argv = ['cat', '--', path]
  const r = await io.read(argv, opts)
  if (r.code === 0) return r.stdout
  if (/No such file/i.test(r.stderr)) return null
  return io.fail(`Could not read ${path}`, r, argv)
}

/**
 * Replaces a file in one rename: written beside it under a name no config glob matches, then moved
 * over it, so a dropped link never leaves a half-written /etc/hosts or sshd drop-in.
 */
export async function installFile(io: StepIo, path: string, content: string, mode: string, opts: { sudo: boolean }): Promise<void> {
  const tmp = `${path}.edgedock-new`
  await io.must(['install', '-m', mode, '/dev/stdin', tmp], `Could not write ${path}`, { sudo: opts.sudo, stdin: content })
  await io.must(['mv', '-f', '--', tmp, path], `Could not replace ${path}`, { sudo: opts.sudo })
}
