// Small process helpers. Commands are always argument arrays (no shell strings).
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process'
import * as fs from 'node:fs'

export interface RunResult {
  code: number
  stdout: string
  stderr: string
  /** stdout as bytes, with encoding: 'buffer' */
  buf?: Buffer
}

export function runSync(cmd: string, args: string[], opts: { input?: string; allowFail?: boolean } = {}): RunResult {
  const r = spawnSync(cmd, args, { encoding: 'utf8', input: opts.input, maxBuffer: 64 * 1024 * 1024 })
  const res = { code: r.status ?? (r.error ? 127 : 1), stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') }
  if (res.code !== 0 && !opts.allowFail) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${res.code}): ${res.stderr.trim() || res.stdout.trim()}`)
  }
  return res
}

export function run(
  cmd: string,
  args: string[],
  opts: { input?: string; allowFail?: boolean; timeoutMs?: number; inherit?: boolean; env?: NodeJS.ProcessEnv; encoding?: 'buffer' } = {}
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const so: SpawnOptions = { stdio: [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: opts.env }
    const p = spawn(cmd, args, so)
    let stdout = ''
    let stderr = ''
    const chunks: Buffer[] = []
    p.stdout?.on('data', (d: Buffer) => {
      if (opts.encoding === 'buffer') chunks.push(d)
      else stdout += d.toString()
      if (opts.inherit) process.stderr.write(d)
    })
    p.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (opts.inherit) process.stderr.write(d)
    })
    let timer: NodeJS.Timeout | undefined
    if (opts.timeoutMs) timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs)
    if (opts.input !== undefined) p.stdin?.end(opts.input)
    p.on('error', (e) => {
      if (timer) clearTimeout(timer)
      if (opts.allowFail) resolve({ code: 127, stdout, stderr: stderr + String(e) })
      else reject(e)
    })
    p.on('close', (code, signal) => {
      if (timer) clearTimeout(timer)
      const res: RunResult = { code: code ?? (signal ? 128 : 1), stdout, stderr, ...(opts.encoding === 'buffer' ? { buf: Buffer.concat(chunks) } : {}) }
      if (res.code !== 0 && !opts.allowFail) {
        reject(new Error(`${cmd} ${args.join(' ')} failed (${res.code}): ${stderr.trim().slice(-2000) || stdout.trim().slice(-2000)}`))
      } else resolve(res)
    })
  })
}

/** Start a long-lived process detached in its own session; returns its pid. Output goes to logFile. */
export function spawnDetached(cmd: string, args: string[], logFd: number): number {
  const p = spawn(cmd, args, { detached: true, stdio: ['ignore', logFd, logFd] })
  p.unref()
  if (!p.pid) throw new Error(`could not start ${cmd}`)
  return p.pid
}

export function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : undefined
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    // a zombie is not alive
    const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = st.slice(st.lastIndexOf(')') + 2, st.lastIndexOf(')') + 3)
    return state !== 'Z'
  } catch {
    return false
  }
}


export function procCmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
  } catch {
    return ''
  }
}

export function log(msg: string): void {
  process.stderr.write(`[lab] ${msg}\n`)
}

export function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}
