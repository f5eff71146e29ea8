// `edgedock-agent serve`: the inference service the systemd unit runs.
import type { AgentConfig } from './config'
import { createAgentServer, listen } from './http-server'
import type { OrtModule } from './load-ort'
import type { Logger } from './log'
import { AgentMetrics } from './metrics'
import { ModelHost } from './model-host'
import { openSession } from './ort-session'
import { watchCurrent } from './watch-current'

export interface RunningAgent {
  port: number
  stop(): Promise<void>
}

export async function serve(config: AgentConfig, ort: OrtModule, log: Logger, agentVersion: string): Promise<RunningAgent> {
  const metrics = new AgentMetrics()
  const host = new ModelHost({
    modelsDir: config.modelsDir,
    open: (bytes) => openSession(ort, bytes, { threads: config.threads }),
    log,
    onLoad: (outcome) => metrics.countReload(outcome)
  })
  // The first load happens before listening, so /health never reports a model that is still loading.
  await host.sync()
  const server = createAgentServer({
    host,
    metrics,
    log,
    maxBodyBytes: config.maxBodyBytes,
    startedAt: Date.now(),
    runtime: { agent: agentVersion, node: process.version, onnxruntime: ort.env.versions.common, arch: process.arch }
  })
  const address = await listen(server, config.port, config.host)
  const stopWatching = watchCurrent({ modelsDir: config.modelsDir, pollMs: config.pollMs, onChange: () => void host.sync(), log })
  log('listening', { host: address.address, port: address.port, root: config.root, model: host.model?.meta.version ?? null })
  return {
    port: address.port,
    async stop() {
      stopWatching()
      // close() waits for requests in flight; idle keep-alive sockets would otherwise hold it open.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      await closed
      await host.close()
      log('stopped')
    }
  }
}
