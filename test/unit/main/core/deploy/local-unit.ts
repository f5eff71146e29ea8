// A unit on this machine for the deploy jobs' tests: the plans' argv commands run with the real GNU
// tools (coreutils, findutils: what Raspberry Pi OS has) in a temp directory laid out like
// /opt/edgedock, and /health comes from the agent's own ModelHost over that directory (with fake
// ONNX sessions: a model whose bytes contain "BROKEN" fails to load). Failures are injected per
// command, per upload, or by stopping the service.
import { execFile, spawnSync } from 'node:child_process'
import { createReadStream, statSync } from 'node:fs'
import { copyFile, chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { AgentError } from '../../../../../src/agent/agent-error'
import { ModelHost } from '../../../../../src/agent/model-host'
import type { ModelSession } from '../../../../../src/agent/ort-session'
import type { HealthResponse } from '../../../../../src/agent/protocol'
import type { DeviceShell } from '../../../../../src/main/core/deploy/device-shell'
import type { RunOptions, RunResult } from '../../../../../src/main/core/provision'
import { DEVICE_ROOT, deviceLayout, unitAgentFiles, type DeviceLayout } from '../../../../../src/main/core/runtime'
import { cmd } from '../../../../../src/main/core/ssh/remote-command'
import { EdgeError } from '../../../../../src/shared/errors'

export interface LocalUnit {
  root: string
  layout: DeviceLayout
  shell: DeviceShell
  /** Every command line as the unit's shell got it (a batch's `sh -c` script as its script), in order. */
  commands: string[]
  uploads: string[]
  /**
   * Makes the n-th (from 0) run of this command line fail from now on, whether it comes alone or
   * inside a batch (`sh -c '… && …'`), where it is replaced by `false` so the batch reacts for real.
   */
  breakCommand(line: string, occurrence?: number): void
  uploadError: Error | null
  /** down: nothing listens on 8080; frozen: answers, but never looks at `current` again. */
  service: 'up' | 'down' | 'frozen'
  host: ModelHost
  cleanup(): Promise<void>
}

/** Runs a command here; stdin is a string, or a file streamed in (as an upload batch gets it over SSH). */
function exec(command: string[], stdin: string | { file: string } | undefined): Promise<RunResult> {
  // Node gives a child a socket for stdin, which `install /dev/stdin` cannot open; over SSH it is a
  // pipe, so put one in between.
  const argv = stdin === undefined ? command : ['sh', '-c', 'cat | "$@"', 'sh', ...command]
  return new Promise((resolve) => {
    const child = execFile(argv[0] as string, argv.slice(1), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 127) : 0, stdout, stderr })
    })
    child.stdin?.on('error', () => undefined)
    if (typeof stdin === 'object') createReadStream(stdin.file).on('error', () => child.stdin?.end()).pipe(child.stdin!)
    else child.stdin?.end(stdin ?? '')
  })
}

const fakeOpen = async (bytes: Uint8Array): Promise<ModelSession> => {
  if (Buffer.from(bytes).includes('BROKEN')) throw new AgentError('AGENT_MODEL_LOAD_FAILED', 'ONNX Runtime could not load the model: No Op registered for Nope')
  return { inputName: 'input', inputType: 'float32', inputShape: ['N', 2], run: async () => ({ data: [0, 1], dims: [1, 2] }), release: async () => undefined }
}

/**
 * The runtime's Node and agent, as a push runs them on a unit (`apply-delta`): this Node, and the
 * agent's sources through tsx, so the tests need no build.
 */
async function installAgent(layout: DeviceLayout): Promise<void> {
  const files = unitAgentFiles(layout)
  await mkdir(path.dirname(files.node), { recursive: true })
  await mkdir(path.dirname(files.agent), { recursive: true })
  await symlink(process.execPath, files.node)
  const repo = path.resolve(import.meta.dirname, '../../../../..')
  await writeFile(files.agent, `require(${JSON.stringify(path.join(repo, 'node_modules/tsx/dist/cjs/index.cjs'))})\nrequire(${JSON.stringify(path.join(repo, 'src/agent/main.ts'))})\n`)
}

/**
 * `as`: the root the job's plans name (several units in one job share one layout, as real units share
 * /opt/edgedock); this unit maps it to its own temp root in commands and paths, and back in output.
 */
export async function localUnit(opts: { runtime?: string | null; as?: string } = {}): Promise<LocalUnit> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'edgedock-unit-'))
  const here = (s: string) => (opts.as ? s.split(opts.as).join(root) : s)
  const back = (r: RunResult): RunResult => (opts.as ? { ...r, stdout: r.stdout.split(root).join(opts.as), stderr: r.stderr.split(root).join(opts.as) } : r)
  const layout = deviceLayout(root)
  await mkdir(layout.modelsDir, { recursive: true })
  if (opts.runtime !== null) {
    await mkdir(path.join(layout.runtimeDir, opts.runtime ?? 'rt-1'), { recursive: true })
    await exec(['ln', '-s', opts.runtime ?? 'rt-1', layout.runtimeCurrent], undefined)
    await installAgent(layout)
  }
  const host = new ModelHost({ modelsDir: layout.modelsDir, open: fakeOpen, log: () => undefined })
  const started = Date.now()
  const asRoot = process.getuid?.() === 0
  let broken: { line: string; left: number } | null = null
  /** The script to run with the broken occurrence (if it is in this one) replaced by `false`. */
  const sabotage = (script: string): string => {
    if (!broken) return script
    let at = script.indexOf(broken.line)
    while (at >= 0) {
      // Only whole commands: the next character ends the command (or the script).
      const end = script[at + broken.line.length]
      if (end === undefined || end === ' ' || end === ';') {
        if (broken.left-- === 0) {
          const line = broken.line
          broken = null
          return `${script.slice(0, at)}false${script.slice(at + line.length)}`
        }
      }
      at = script.indexOf(broken.line, at + 1)
    }
    return script
  }
  const runHere = async (asSent: string[], sentStdin: string | { file: string } | undefined): Promise<RunResult> => back(await runMapped(asSent.map(here), typeof sentStdin === 'string' ? here(sentStdin) : sentStdin))
  const runMapped = async (argv: string[], stdin: string | { file: string } | undefined): Promise<RunResult> => {
    const batch = argv[0] === 'sh' && argv[1] === '-c' && argv.length === 3
    const line = batch ? (argv[2] as string) : cmd(argv).line
    unit.commands.push(line)
    // This runs on the test machine: a command aimed at the real /opt/edgedock is a test bug.
    if (line.includes(`${DEVICE_ROOT}/`) || argv.includes(DEVICE_ROOT)) throw new Error(`refusing to touch this machine's ${DEVICE_ROOT}: ${line}`)
    const script = sabotage(line)
    if (!batch && script !== line) return { code: 1, stdout: '', stderr: `${argv[0]}: injected failure` }
    // chown to root needs root; elsewhere the ownership change is all it would do.
    if (!asRoot) return exec(['sh', '-c', script.replace(/\bchown -R root:root --/g, 'true')], stdin)
    return exec(batch ? ['sh', '-c', script] : argv, stdin)
  }
  const unit: LocalUnit = {
    root,
    layout,
    commands: [],
    uploads: [],
    breakCommand: (line, occurrence = 0) => {
      broken = { line, left: occurrence }
    },
    uploadError: null,
    service: 'up',
    host,
    cleanup: () => rm(root, { recursive: true, force: true }),
    shell: {
      where: 'pi@unit-1',
      user: os.userInfo().username,
      run: (argv: string[], o: RunOptions = {}) => runHere(argv, o.stdin),
      async runWithFile(argv, local, o) {
        unit.uploads.push(local)
        if (unit.uploadError) throw unit.uploadError
        const size = statSync(local).size
        o.onProgress?.(0, size)
        const r = await runHere(argv, { file: local })
        o.onProgress?.(size, size)
        return r
      },
      async upload(local, sentRemote, o) {
        const remote = here(sentRemote)
        unit.uploads.push(remote)
        if (remote.startsWith(DEVICE_ROOT)) throw new Error(`refusing to write into this machine's ${DEVICE_ROOT}: ${remote}`)
        if (unit.uploadError) throw unit.uploadError
        o.onProgress?.(0, 0)
        await copyFile(local, remote)
        await chmod(remote, o.mode)
        const size = statSync(remote).size
        o.onProgress?.(size, size)
      },
      async inference(req) {
        if (unit.service === 'down') throw new EdgeError('REMOTE_PORT_CLOSED', 'port 8080 of 127.0.0.1 as seen from unit-1')
        // The agent's watcher would have noticed a switch by now: sync as it would.
        if (unit.service === 'up') await host.sync()
        const h: HealthResponse = {
          status: host.status,
          model: host.model?.meta ?? null,
          currentTarget: host.currentTarget,
          lastLoadError: host.lastLoadError,
          uptimeS: (Date.now() - started) / 1000,
          runtime: { agent: '0.1.0', node: 'v22', onnxruntime: '1.30.0', arch: 'x64' }
        }
        if (req.path !== '/health') throw new Error(`unexpected ${req.path}`)
        return { status: h.status === 'no-model' ? 503 : 200, body: JSON.stringify(h) }
      }
    }
  }
  return unit
}

/** A full card can be real: a tmpfs of a few KiB mounted over a unit's directory (root on Linux only). */
export const canMountTmpfs = process.platform === 'linux' && process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0

/** Mounts a tmpfs of `size` (mount's syntax: 1m) on `dir`; returns the unmount. */
export function mountTmpfs(dir: string, size: string): () => void {
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`mount tmpfs on ${dir}: ${r.stderr}`)
  return () => void spawnSync('umount', ['-l', dir])
}
