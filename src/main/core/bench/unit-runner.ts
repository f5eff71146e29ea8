// Cells on a unit: the model and sample set are copied once per content (named by sha256 in a
// per-user folder under /tmp, checked by sha256 on the unit), then the runtime's own Node runs the
// agent's bench command; progress comes back on stderr while it runs.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import path from 'node:path'
import { EdgeError } from '../../../shared/errors'
import type { DeviceShell } from '../deploy/device-shell'
import { parseAgentResult, progressParser } from './agent-output'
import { agentOnUnit, UNIT_AGENT, UNIT_NODE } from './bench-plan'
import type { CellRunner } from './cell-runner'

// Generous: a unit that is busy (an emulated board, another benchmark on its only core) answers slowly.
const QUICK_MS = 60_000

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

export async function unitCellRunner(shell: DeviceShell, label: string, signal: AbortSignal): Promise<CellRunner> {
  const hasRuntime = await shell.run(['test', '-x', UNIT_NODE, '-a', '-f', UNIT_AGENT], { signal, timeoutMs: QUICK_MS })
  if (hasRuntime.code !== 0) throw new EdgeError('BENCH_NO_RUNTIME', label)
  const dir = `/tmp/edgedock-bench-${shell.user}`
  const made = await shell.run(['mkdir', '-p', '-m', '0700', '--', dir], { signal, timeoutMs: QUICK_MS })
  if (made.code !== 0) throw new EdgeError('BENCH_FAILED', `${label}: cannot make ${dir}: ${made.stderr.trim().slice(0, 200)}`)

  const ensure = async (local: string, sha256: string, ext: string): Promise<string> => {
    const remote = path.posix.join(dir, `${sha256}${ext}`)
    const has = await shell.run(['sha256sum', '--', remote], { signal, timeoutMs: QUICK_MS })
    if (has.code === 0 && has.stdout.startsWith(sha256)) return remote
    await shell.upload(local, remote, { mode: 0o600, signal })
    const check = await shell.run(['sha256sum', '--', remote], { signal, timeoutMs: QUICK_MS })
    if (check.code !== 0 || !check.stdout.startsWith(sha256)) throw new EdgeError('BENCH_FAILED', `${label}: the copy of ${path.basename(local)} on the unit does not match (sha256)`)
    return remote
  }

  return {
    async prepare(model, samplesFile) {
      return {
        model: await ensure(model.localFile, model.sha256, '.onnx'),
        samples: samplesFile ? await ensure(samplesFile, await sha256File(samplesFile), '.json') : null
      }
    },
    async run(args, hooks) {
      const r = await shell.run(agentOnUnit(args), {
        signal: hooks.signal,
        interrupt: hooks.interrupt,
        timeoutMs: hooks.timeoutMs,
        onStderr: progressParser(hooks.onProgress, hooks.onPhase)
      })
      return parseAgentResult(r, label)
    },
    close: async () => {
      await shell.close?.()
    }
  }
}
