// Cells on a unit: the model and sample set are copied once per content (named by sha256 in a
// per-user folder under /tmp, checked by sha256 on the unit), then the runtime's own Node runs the
// agent's bench command; progress comes back on stderr while it runs.
import { EdgeError } from '../../../shared/errors'
import type { DeviceShell } from '../deploy/device-shell'
import { parseAgentResult, progressParser } from './agent-output'
import { agentOnUnit, UNIT_AGENT, UNIT_NODE } from './bench-plan'
import type { CellRunner } from './cell-runner'
import { QUICK_MS, unitBenchFiles } from './unit-files'

export async function unitCellRunner(shell: DeviceShell, label: string, signal: AbortSignal): Promise<CellRunner> {
  const hasRuntime = await shell.run(['test', '-x', UNIT_NODE, '-a', '-f', UNIT_AGENT], { signal, timeoutMs: QUICK_MS })
  if (hasRuntime.code !== 0) throw new EdgeError('BENCH_NO_RUNTIME', label)
  const ensure = await unitBenchFiles(shell, shell.user, label, signal)

  return {
    async prepare(model, samplesFile) {
      return {
        model: await ensure(model.localFile, '.onnx', model.sha256),
        samples: samplesFile ? await ensure(samplesFile, '.json') : null
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
