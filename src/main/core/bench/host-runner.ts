// The host baseline: the agent bundle run by this machine's Node (Electron's, as Node, in the
// desktop app) with the onnxruntime-node that EdgeDock itself uses, so "unit vs the computer in
// front of you" compares the same runner.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { EdgeError } from '../../../shared/errors'
import { parseAgentResult, progressParser } from './agent-output'
import type { CellRunner } from './cell-runner'

export interface HostPaths {
  /** out/agent/edgedock-agent.cjs */
  agentFile: string
  /** node_modules/onnxruntime-node */
  ortDir: string
}

export function hostCellRunner(p: HostPaths): CellRunner {
  return {
    prepare: async (model, samples) => ({ model: model.localFile, samples }),
    run: (args, hooks) =>
      new Promise((resolve, reject) => {
        if (!existsSync(p.agentFile)) throw new EdgeError('BENCH_FAILED', `this computer: the benchmark runner ${p.agentFile} is not built; run "npm run build"`)
        const child = spawn(process.execPath, [p.agentFile, ...args], {
          env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', EDGEDOCK_ORT_DIR: p.ortDir },
          stdio: ['ignore', 'pipe', 'pipe']
        })
        let stdout = ''
        let stderr = ''
        const progress = progressParser(hooks.onProgress, hooks.onPhase)
        child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')))
        child.stderr.on('data', (b: Buffer) => {
          const s = b.toString('utf8')
          if (stderr.length < 100_000) stderr += s
          progress(s)
        })
        const interrupt = () => child.kill('SIGINT')
        const kill = () => child.kill('SIGKILL')
        const timer = setTimeout(kill, hooks.timeoutMs)
        hooks.interrupt.addEventListener('abort', interrupt, { once: true })
        hooks.signal.addEventListener('abort', kill, { once: true })
        child.on('error', (err) => reject(new EdgeError('BENCH_FAILED', `this computer: cannot start ${path.basename(p.agentFile)}: ${err.message}`)))
        child.on('close', (code) => {
          clearTimeout(timer)
          hooks.interrupt.removeEventListener('abort', interrupt)
          hooks.signal.removeEventListener('abort', kill)
          try {
            resolve(parseAgentResult({ code: code ?? -1, stdout, stderr }, 'this computer'))
          } catch (err) {
            reject(err as Error)
          }
        })
      }),
    close: async () => {}
  }
}
