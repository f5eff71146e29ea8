// `npm run demo`: EdgeDock with no hardware. Two lab Pis (QEMU machines with systemd, so they can be
// provisioned and take models; light Pis share this machine's file system and would not) on the
// lab's private LAN, a station
// that already knows them (added and checked through the CLI) with the digits model in its library,
// and one line to open in a browser. Ctrl-C stops the station and the Pis and removes what the lab
// made. Needs root (the lab's namespaces); see docs/lab.md.
//
// The demo runs a lab of its own (its own namespace and state folder), so it never joins, or tears
// down, a lab someone already has up for tests. Set EDGEDOCK_LAB_NETNS / EDGEDOCK_LAB_STATE to choose.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'

// The state folder is removed at the end only when the demo chose it.
const ownStateDir = !process.env.EDGEDOCK_LAB_STATE
process.env.EDGEDOCK_LAB_NETNS ??= 'edgedock-demo'
process.env.EDGEDOCK_LAB_STATE ??= '/run/edgedock-demo'
// Imported after the two settings above: the lab reads them when it is called.
const lab = await import('../test/lab')
const { missingPrereqs } = lab

const root = path.resolve(import.meta.dirname, '..')
const edgedockBin = path.join(root, 'bin', 'edgedock.js')
const model = path.join(root, 'resources', 'models', 'digits_cnn_fp32.onnx')
const UNITS = 2
const t0 = Date.now()
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const say = (s: string) => process.stderr.write(`demo: ${s}\n`)

const why = missingPrereqs({ net: 'ns' })
if (why) {
  say(`cannot start the lab: ${why}`)
  process.exit(1)
}

// A data folder of its own, so the demo never writes into the user's real history.
const work = mkdtempSync(path.join(tmpdir(), 'edgedock-demo-'))
const dataDir = path.join(work, 'data')
const relaySocket = path.join(work, 'station.sock')
let station: ChildProcess | undefined
let relay: ChildProcess | undefined
let forward: net.Server | undefined
let stopping: Promise<void> | undefined

function edgedock(args: string[], inLab = false): { code: number; stdout: string; stderr: string } {
  const argv = [process.execPath, edgedockBin, '--data-dir', dataDir, ...args]
  const [file, ...rest] = inLab ? lab.inLabArgv(argv) : argv
  const r = spawnSync(file as string, rest, { cwd: root, encoding: 'utf8' })
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr }
}

function must(args: string[], inLab = false): string {
  const r = edgedock(args, inLab)
  if (r.code !== 0) throw new Error(`edgedock ${args.join(' ')} failed: ${(r.stderr || r.stdout).trim()}`)
  return r.stdout
}

function exited(child: ChildProcess | undefined, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve()
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      resolve()
    }, ms)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

function stop(code: number): Promise<void> {
  stopping ??= (async () => {
    say('stopping the station and the lab Pis')
    forward?.close()
    await exited(station, 10_000)
    await exited(relay, 5_000)
    await lab.down({ quiet: true }).catch((err: Error) => say(`lab down: ${err.message}`))
    rmSync(work, { recursive: true, force: true })
    if (ownStateDir) rmSync(lab.stateDir(), { recursive: true, force: true })
    say(`stopped (to check: EDGEDOCK_LAB_NETNS=${lab.labNetns()} EDGEDOCK_LAB_STATE=${lab.stateDir()} npm run lab -- list)`)
    process.exit(code)
  })()
  return stopping
}
// A terminal's Ctrl-C reaches the station and the relay too (same process group); they just exit
// and stop() finds them gone.
process.on('SIGINT', () => void stop(0))
process.on('SIGTERM', () => void stop(0))

/** Resolves with the first line of `child`'s stdout that matches, or fails if it exits first. */
function lineFrom(child: ChildProcess, re: RegExp, what: string, ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${secs(ms)}: ${err.trim()}`)), ms)
    child.stderr?.on('data', (d) => (err += d))
    child.stdout?.on('data', (d) => {
      out += d
      const m = re.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${what} exited (${code}): ${err.trim()}`))
    })
  })
}

// Inside the lab's namespace: a Unix socket (the file system is shared across network namespaces)
// in front of the station's TCP port there, so a browser on this machine can reach the station.
const RELAY = `
const net = require('node:net')
const fs = require('node:fs')
const [sock, port] = process.argv.slice(1)
fs.rmSync(sock, { force: true })
net.createServer((c) => {
  const s = net.connect(Number(port), '127.0.0.1')
  const end = () => { c.destroy(); s.destroy() }
  c.pipe(s); s.pipe(c)
  for (const x of [c, s]) { x.on('error', end); x.on('close', end) }
}).listen(sock, () => process.stdout.write('relay ready\\n'))
process.on('SIGTERM', () => process.exit(0))
process.on('SIGINT', () => process.exit(0))
`

try {
  // Whatever an earlier demo that was killed outright left in the demo's own lab.
  await lab.down({ quiet: true })
  const up = await lab.up({ count: UNITS, net: 'ns', quiet: true })
  const units = lab.inventory().filter((u) => u.kind === 'full')
  say(`${units.length} lab Pis answer SSH after ${secs(up.ms)} (${units.map((u) => `${u.name} ${u.ip}`).join(', ')})`)

  units.forEach((u, i) => must(['devices', 'add', `${u.user}@${u.ip}:${u.port}`, '--name', `demo-pi-${i + 1}`]))
  // The check runs where the units are (the lab LAN), and marks them online in the shared database.
  must(['devices', 'check'], true)
  must(['models', 'import', model, '--name', 'digits', '--version', '1'])
  say('inventory: 2 units (checked online), library: digits@1')

  // The forward listens first, so the port it got is the station's port too: the page's Host and
  // Origin are then the ones the station itself expects.
  forward = net.createServer((c) => {
    const s = net.connect(relaySocket)
    const end = () => {
      c.destroy()
      s.destroy()
    }
    c.pipe(s)
    s.pipe(c)
    for (const x of [c, s]) {
      x.on('error', end)
      x.on('close', end)
    }
  })
  await new Promise<void>((resolve, reject) => {
    forward?.once('error', reject)
    forward?.listen(0, '127.0.0.1', () => resolve())
  })
  const port = (forward.address() as net.AddressInfo).port

  const [sfile, ...sargs] = lab.inLabArgv([process.execPath, path.join(root, 'bin', 'station.js'), '--data-dir', dataDir, '--port', String(port)])
  station = spawn(sfile as string, sargs, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  const [, url] = await lineFrom(station, /^EdgeDock station: (http:\/\/\S+)\n/m, 'the station', 120_000)
  station.stderr?.pipe(process.stderr)
  station.once('exit', (code) => {
    if (!stopping) {
      say(`the station exited (${code})`)
      void stop(1)
    }
  })

  const [rfile, ...rargs] = lab.inLabArgv([process.execPath, '-e', RELAY, relaySocket, String(port)])
  relay = spawn(rfile as string, rargs, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  await lineFrom(relay, /^relay ready\n/m, 'the relay', 30_000)

  say(`ready after ${secs(Date.now() - t0)}; Ctrl-C stops it all`)
  say(`the lab Pis' login is ${lab.PI_USER} / ${lab.PI_PASSWORD} (provisioning asks for it once, then uses EdgeDock's key)`)
  process.stdout.write(`EdgeDock demo: ${url}\n`)
} catch (err) {
  say((err as Error).message)
  await stop(1)
}
