// Runs one step of a runtime/model plan (core/runtime: data, argv only) on a unit. A failed command
// becomes DEPLOY_STEP_FAILED naming the step and the first line of its output; the full output goes
// to the job log.
import { randomBytes } from 'node:crypto'
import { EdgeError } from '../../../shared/errors'
import type { PlanStep, RunStep, UploadStep, WriteStep } from '../runtime'
import { and, cmd, or, pipeline, seq, type RemoteCommand } from '../ssh/remote-command'
import { streamUploadCommand } from '../ssh/stream-upload'
import type { DeviceShell } from './device-shell'

export interface StepIo {
  signal: AbortSignal
  log(level: 'info' | 'warn' | 'error', text: string): void
  /** Bytes of the current upload as it goes. */
  onUploadProgress?: (done: number, total: number) => void
}

export class StepFailedError extends EdgeError {
  constructor(
    readonly stepId: string,
    title: string,
    readonly output: string
  ) {
    super('DEPLOY_STEP_FAILED', `${title}: ${output.split('\n').find((l) => l.trim())?.trim() ?? 'failed'}`)
  }
}

/** Runs a command step and returns its result, without judging the exit code (probes). */
export function runRaw(shell: DeviceShell, step: RunStep, signal: AbortSignal) {
  return shell.run(step.argv, { sudo: step.sudo, signal, ...(step.stdin !== undefined ? { stdin: step.stdin } : {}) })
}

export async function runPlanStep(shell: DeviceShell, step: PlanStep, io: StepIo): Promise<string> {
  if (step.kind === 'upload') {
    await shell.upload(step.local, step.remote, { mode: step.mode, signal: io.signal, onProgress: io.onUploadProgress })
    return ''
  }
  const r =
    step.kind === 'write'
      ? await shell.run(['install', '-m', step.mode.toString(8), '/dev/stdin', step.remote], { stdin: step.content, signal: io.signal })
      : await runRaw(shell, step, io.signal)
  if (r.code !== 0) {
    const output = `${r.stderr}${r.stdout}`.trim() || `exit code ${r.code}`
    io.log('error', `${step.title} failed (exit ${r.code}):\n${output}`)
    throw new StepFailedError(step.id, step.title, output)
  }
  return r.stdout
}

// Exit status of the batch when its step k failed (sh -c exits with it); sha256sum and friends use 1-2.
const BATCH_EXIT_BASE = 100

/** A step as one command of a batch. Content for stdin is piped in by `printf`, leaving stdin to an upload. */
function batchCommand(s: RunStep | WriteStep | UploadStep): RemoteCommand {
  const fed = (content: string, argv: string[]) => pipeline(cmd(['printf', '%s', content]), cmd(argv))
  switch (s.kind) {
    case 'upload':
      return streamUploadCommand(s.remote, s.mode, s.gunzip)
    case 'write':
      return fed(s.content, ['install', '-m', s.mode.toString(8), '/dev/stdin', s.remote])
    case 'run':
      return s.stdin === undefined ? cmd(s.argv) : fed(s.stdin, s.argv)
  }
}

/**
 * Several steps in one round trip: `sudo -n -- sh -c '{ a || exit 100; } && { b || exit 101; } ...'`,
 * built by the quoting module from each step's argv. On a Pi every command costs an SSH channel and
 * a sudo (~0.3 s each under emulation), which on a ten-step upload is more than the checksum itself.
 * At most one step may be an upload: the file is then the batch's stdin, streamed into `dd` there,
 * so preparing, sending, checking and moving a model is a single command. The whole batch runs as
 * root when any step needs it (the model plan's steps all may). A failure names its step, as
 * `runPlanStep` does.
 */
export async function runBatch(shell: DeviceShell, steps: readonly (RunStep | WriteStep | UploadStep)[], io: StepIo): Promise<void> {
  if (steps.length === 0) return
  const uploads = steps.filter((s) => s.kind === 'upload')
  if (uploads.length > 1) throw new Error(`one batch, one upload: ${uploads.map((s) => s.id).join(', ')}`)
  const script = and(...steps.map((s, k) => or(batchCommand(s), cmd(['exit', String(BATCH_EXIT_BASE + k)]))))
  const argv = ['sh', '-c', script.line]
  const opts = { sudo: steps.some((s) => s.kind !== 'run' || s.sudo), signal: io.signal }
  const upload = uploads[0]
  const r = upload ? await shell.runWithFile(argv, upload.local, { ...opts, onProgress: io.onUploadProgress }) : await shell.run(argv, opts)
  if (r.code === 0) return
  const failed = steps[r.code - BATCH_EXIT_BASE]
  const output = `${r.stderr}${r.stdout}`.trim() || `exit code ${r.code}`
  io.log('error', `${failed?.title ?? steps.map((s) => s.title).join(', ')} failed (exit ${r.code}):\n${output}`)
  throw new StepFailedError(failed?.id ?? steps[0]?.id ?? 'batch', failed?.title ?? steps.map((s) => s.title).join(', '), output)
}

/**
 * Read-only steps (looking at a unit) in one round trip, each judged on its own: every step's stdout
 * and whether it exited 0, as if run one by one. Outputs are split at a marker with a random nonce,
 * so nothing a step prints can pass for the end of another. No sudo: these only read.
 */
export async function runLook(shell: DeviceShell, steps: readonly RunStep[], signal: AbortSignal): Promise<{ ok: boolean; stdout: string }[]> {
  if (steps.some((s) => s.sudo)) throw new Error(`a look only reads: ${steps.map((s) => s.id).join(', ')}`)
  const mark = `edgedock-look-${randomBytes(8).toString('hex')}`
  const end = (ok: boolean) => cmd(['printf', '\n%s %s\n', mark, ok ? 'ok' : 'failed'])
  const script = seq(...steps.map((s) => or(and(batchCommand(s), end(true)), end(false))))
  const r = await shell.run(['sh', '-c', script.line], { signal })
  const parts = r.stdout.split(new RegExp(`\n${mark} (ok|failed)\n`))
  if (parts.length !== steps.length * 2 + 1) {
    throw new EdgeError('DEPLOY_STEP_FAILED', `${steps.map((s) => s.title).join(', ')}: the unit's answer was cut short (exit ${r.code}${r.stderr.trim() ? `: ${r.stderr.trim().split('\n')[0]}` : ''})`)
  }
  return steps.map((_, k) => ({ stdout: parts[2 * k] as string, ok: parts[2 * k + 1] === 'ok' }))
}
