// The EdgeDock agent, run on the device by the pushed Node binary:
//   edgedock-agent [serve]            the inference service (systemd unit edgedock-inference)
//   edgedock-agent bench --model X    one benchmark (--preset quick|standard|mlperf, --runs, --duration,
//                                     --warmup, --threads, --inter-threads, --batch, --seed, --profile-ops,
//                                     --samples FILE, --no-raw): progress on stderr, one JSON line on stdout
//   edgedock-agent version            proves the runtime loads here; prints versions as JSON
//   edgedock-agent apply-delta --base F --delta F --out F [--sha256 S]
//                                     builds a model file from one the unit has and a delta (see apply-delta.ts)
import { applyDelta, DeltaError } from './apply-delta'
import { runBench, benchOptions } from './bench'
import { loadConfig, parseArgs, UsageError } from './config'
import { AgentError, errorText } from './agent-error'
import { loadOrt, type OrtModule } from './load-ort'
import { createStdoutLogger } from './log'
import { serve } from './serve'

declare const __EDGEDOCK_AGENT_VERSION__: string | undefined
const AGENT_VERSION = typeof __EDGEDOCK_AGENT_VERSION__ === 'string' ? __EDGEDOCK_AGENT_VERSION__ : 'dev'

/** sysexits EX_CONFIG: the unit's RestartPreventExitStatus stops systemd from looping on it. */
const EXIT_CONFIG = 78

async function main(): Promise<void> {
  const log = createStdoutLogger()
  const { positional, flags } = parseArgs(process.argv.slice(2))
  const command = positional[0] ?? 'serve'
  // Needs neither the settings nor ONNX Runtime: a push uses it before the model is served.
  if (command === 'apply-delta') return runApplyDelta(flags)
  let config
  let ort: OrtModule
  try {
    config = loadConfig(process.env, flags, process.argv[1])
    ort = loadOrt(config.ortDir)
  } catch (err) {
    log(err instanceof UsageError ? 'usage-error' : 'runtime-error', { message: errorText(err) })
    process.exitCode = err instanceof UsageError ? 2 : EXIT_CONFIG
    return
  }
  switch (command) {
    case 'serve': {
      const agent = await serve(config, ort, log, AGENT_VERSION)
      const shutdown = (signal: string): void => {
        log('shutdown', { signal })
        agent.stop().then(
          () => process.exit(0),
          () => process.exit(1)
        )
      }
      process.once('SIGTERM', () => shutdown('SIGTERM'))
      process.once('SIGINT', () => shutdown('SIGINT'))
      return
    }
    case 'bench': {
      const options = benchOptions(flags, config.threads)
      // A signal ends the runs after the one in flight and still prints what was measured.
      const controller = new AbortController()
      let stoppedBy: NodeJS.Signals | null = null
      const stop = (signal: NodeJS.Signals): void => {
        stoppedBy = signal
        controller.abort()
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      const result = await runBench(ort, options, { signal: controller.signal })
      process.stdout.write(`${JSON.stringify(result)}\n`)
      // 128 + signal number, as a shell reports a command the signal stopped.
      if (result.cancelled) process.exitCode = stoppedBy === 'SIGTERM' ? 143 : 130
      return
    }
    case 'version':
      process.stdout.write(`${JSON.stringify({ agent: AGENT_VERSION, node: process.version, onnxruntime: ort.env.versions.common, arch: process.arch })}\n`)
      return
    default:
      log('usage-error', { message: `unknown command "${command}"; use serve, bench, version or apply-delta` })
      process.exitCode = 2
  }
}

function runApplyDelta(flags: Record<string, string | true>): void {
  const arg = (name: string): string => {
    const v = flags[name]
    if (typeof v !== 'string' || v === '') throw new UsageError(`apply-delta needs --${name}`)
    return v
  }
  try {
    const sha256 = flags.sha256 === undefined ? undefined : arg('sha256')
    const bytes = applyDelta({ base: arg('base'), delta: arg('delta'), out: arg('out'), sha256 })
    process.stdout.write(`${JSON.stringify({ bytes })}\n`)
  } catch (err) {
    if (err instanceof UsageError) throw err
    // One plain line on stderr: the desktop shows it and sends the whole file instead.
    process.stderr.write(`${err instanceof DeltaError ? '' : 'apply-delta: '}${errorText(err)}\n`)
    process.exitCode = 1
  }
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stdout.write(`usage-error message=${JSON.stringify(err.message)}\n`)
    process.exitCode = 2
    return
  }
  const code = err instanceof AgentError ? err.code : 'AGENT_INTERNAL'
  process.stdout.write(`fatal code=${code} message=${JSON.stringify(errorText(err))}\n`)
  process.exitCode = 1
})
