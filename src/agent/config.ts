// Where the agent finds things and how it listens: environment first (the systemd unit sets it),
// then command-line flags, which win. Defaults are the device's layout.
import path from 'node:path'

export interface AgentConfig {
  root: string
  modelsDir: string
  port: number
  host: string
  /** The onnxruntime-node package root pushed with the runtime (dist/ + bin/napi-v6/linux/<arch>/). */
  ortDir: string
  /** Threads per ORT session; 0 lets ORT pick (all cores). */
  threads: number
  /** Poll interval for `current`, in case fs.watch misses a rename (it does on some filesystems). */
  pollMs: number
  /** Largest /infer body accepted, in bytes. */
  maxBodyBytes: number
}

export type Flags = Record<string, string | true>

/** A wrong flag or setting: the process exits 2 with one line saying which. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** `--name value`, `--name=value` and bare `--flag`; anything else is a positional argument. */
export function parseArgs(argv: readonly string[]): { positional: string[]; flags: Flags } {
  const positional: string[] = []
  const flags: Flags = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (!arg.startsWith('--')) {
      positional.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    if (eq > 0) {
      flags[arg.slice(2, eq)] = arg.slice(eq + 1)
      continue
    }
    const next = argv[i + 1]
    if (next !== undefined && !next.startsWith('--')) {
      flags[arg.slice(2)] = next
      i++
    } else {
      flags[arg.slice(2)] = true
    }
  }
  return { positional, flags }
}

function flagString(flags: Flags, name: string): string | undefined {
  const v = flags[name]
  return typeof v === 'string' ? v : undefined
}

export function intSetting(value: string | undefined, fallback: number, name: string, min = 0): number {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be an integer >= ${min}, got "${value}"`)
  return n
}

/** The runtime layout puts the agent at <runtime>/agent/edgedock-agent.cjs and ORT at <runtime>/onnxruntime. */
export function defaultOrtDir(scriptPath: string | undefined): string {
  const dir = scriptPath ? path.dirname(path.resolve(scriptPath)) : process.cwd()
  return path.resolve(dir, '..', 'onnxruntime')
}

export function loadConfig(env: NodeJS.ProcessEnv, flags: Flags, scriptPath: string | undefined): AgentConfig {
  const root = path.resolve(flagString(flags, 'root') ?? env.EDGEDOCK_ROOT ?? '/opt/edgedock')
  return {
    root,
    modelsDir: path.join(root, 'models'),
    port: intSetting(flagString(flags, 'port') ?? env.EDGEDOCK_PORT, 8080, 'port'),
    host: flagString(flags, 'host') ?? env.EDGEDOCK_HOST ?? '0.0.0.0',
    ortDir: path.resolve(flagString(flags, 'ort-dir') ?? env.EDGEDOCK_ORT_DIR ?? defaultOrtDir(scriptPath)),
    threads: intSetting(flagString(flags, 'threads') ?? env.EDGEDOCK_THREADS, 0, 'threads'),
    pollMs: intSetting(flagString(flags, 'poll-ms') ?? env.EDGEDOCK_POLL_MS, 2000, 'poll interval', 50),
    maxBodyBytes: intSetting(env.EDGEDOCK_MAX_BODY_BYTES, 64 * 1024 * 1024, 'max body bytes', 1024)
  }
}
