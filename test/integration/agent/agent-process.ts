// Starts the bundled agent (out/agent/edgedock-agent.cjs) as the device would run it, with the real
// onnxruntime-node from node_modules standing in for the pushed runtime directory.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const agentBundle = path.join(repoRoot, 'out/agent/edgedock-agent.cjs')
export const ortDir = path.join(repoRoot, 'node_modules/onnxruntime-node')
export const digitsModel = path.join(repoRoot, 'resources/models/digits_cnn_fp32.onnx')
export const digitsSamples = path.join(repoRoot, 'resources/models/digits_samples_100.json')

function newestMtime(dir: string): number {
  return Math.max(...readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => statSync(path.join(e.parentPath, e.name)).mtimeMs))
}

/** Builds the bundle when it is missing or older than its sources, so the test never runs a stale agent. */
export function ensureAgentBuilt(): void {
  if (existsSync(agentBundle) && statSync(agentBundle).mtimeMs >= newestMtime(path.join(repoRoot, 'src/agent'))) return
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build-agent.js')], { cwd: repoRoot, encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`build-agent failed: ${result.stderr}${result.stdout}`)
}

export interface AgentChild {
  url: string
  child: ChildProcess
  lines: string[]
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>
  stop(): Promise<number | null>
}

export async function startAgent(root: string, env: Record<string, string> = {}): Promise<AgentChild> {
  const child = spawn(process.execPath, [agentBundle, 'serve'], {
    env: { ...process.env, EDGEDOCK_ROOT: root, EDGEDOCK_ORT_DIR: ortDir, EDGEDOCK_PORT: '0', EDGEDOCK_HOST: '127.0.0.1', EDGEDOCK_THREADS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const lines: string[] = []
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = []
  let buffer = ''
  const onData = (chunk: Buffer): void => {
    buffer += chunk.toString('utf8')
    let nl: number
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl)
      buffer = buffer.slice(nl + 1)
      lines.push(line)
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve(line)
        }
      }
    }
  }
  child.stdout?.on('data', onData)
  child.stderr?.on('data', onData)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const waitForLine = (pattern: RegExp, timeoutMs = 15_000): Promise<string> => {
    const seen = lines.find((l) => pattern.test(l))
    if (seen) return Promise.resolve(seen)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} in:\n${lines.join('\n')}`)), timeoutMs)
      waiters.push({ pattern, resolve: (l) => (clearTimeout(timer), resolve(l)) })
      void exited.then((code) => reject(new Error(`agent exited (${code}) before ${pattern}:\n${lines.join('\n')}`)))
    })
  }
  const listening = await waitForLine(/^listening /)
  const port = /port=(\d+)/.exec(listening)?.[1]
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    lines,
    waitForLine,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      return exited
    }
  }
}

/** Writes a version directory the way the push leaves it: model.onnx + meta.json. */
export async function writeVersion(root: string, version: string, model: Uint8Array, metaSha?: string): Promise<string> {
  const dir = path.join(root, 'models', version)
  await mkdir(dir, { recursive: true })
  await writeFile(path.join(dir, 'model.onnx'), model)
  const sha256 = metaSha ?? createHash('sha256').update(model).digest('hex')
  await writeFile(path.join(dir, 'meta.json'), JSON.stringify({ name: 'digits', version, sha256 }))
  return dir
}

/** The push's atomic switch: a new link under a temporary name renamed over `current` (ln -s + mv -T). */
export async function switchCurrent(root: string, version: string): Promise<void> {
  const tmp = path.join(root, 'models', `.current-${process.pid}-${Date.now()}`)
  await symlink(version, tmp)
  await rename(tmp, path.join(root, 'models', 'current'))
}

export async function readDigits(): Promise<{ model: Buffer; inputs: number[][]; labels: number[] }> {
  const samples = JSON.parse(await readFile(digitsSamples, 'utf8')) as { inputs: number[][]; labels: number[] }
  return { model: await readFile(digitsModel), inputs: samples.inputs, labels: samples.labels }
}
