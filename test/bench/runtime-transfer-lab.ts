// Benchmark: installing the device runtime over a site's thin link (the lab Pi's link shaped to
// 8 Mbit/s both ways), the way EdgeDock does it now (large files gzipped, files the runtime in use
// already has hard-linked on the unit) against the named reference measured in the same run: every
// file sent as it is, one stream each (how the runtime travelled before). Two cases:
//   fresh    a unit with no runtime;
//   upgrade  a unit with the previous runtime in use, the new one differing only in the agent.
// Each figure is the whole install (look, stage, send, unpack, sha256 check, move, self-test, switch,
// service restart), with its slowest steps. Goals: bytes <= 0.40 and time <= 0.50 of the reference. Run: `npm run bench -- runtime-transfer` (root and the
// lab; a full Pi on --net ns). RATE=16mbit to try another link.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runtimePlanInstaller } from '../../src/main/core/provision/runtime-plan-installer'
import { sshDeviceShell } from '../../src/main/core/deploy/device-shell'
import { buildRuntimeBundle, runtimeInstallPlan, type RuntimeBundle, type RuntimeInstallPlan } from '../../src/main/core/runtime'
import { openSshSession, type HostKeyStore } from '../../src/main/core/ssh'
import { projectRoot } from '../helpers/run-cli'
import { RUNTIME_CACHE } from '../integration/deploy/deploy-lab'
import { agentBundle, ensureAgentBuilt } from '../integration/agent/agent-process'

const rate = process.env.RATE ?? '8mbit'

async function bundleWith(agentFile: string): Promise<RuntimeBundle> {
  return buildRuntimeBundle({
    arch: 'x64',
    cacheDir: RUNTIME_CACHE,
    agentFile,
    unitFile: path.join(projectRoot, 'resources/device/edgedock-inference.service'),
    ortPackageDir: path.join(projectRoot, 'node_modules/onnxruntime-node')
  })
}

// Inside the lab's namespace: connect to the Pi and time the four installs.
async function inner(host: string, user: string, password: string, nextAgent: string): Promise<void> {
  const pins = new Map<string, { algorithm: string; fingerprint: string; pinnedAt: number }>()
  const hostKeys: HostKeyStore = { get: (h, p) => pins.get(`${h}:${p}`), pin: (k) => void pins.set(`${k.host}:${k.port}`, k) }
  const session = await openSshSession({ host, port: 22, username: user }, { password }, { hostKeys, commandTimeoutMs: 900_000 })
  const shell = sshDeviceShell(session, user)
  let sent = 0
  const counting = { ...shell, upload: async (local: string, remote: string, opts: { mode: number }) => {
    sent += (await stat(local)).size
    await shell.upload(local, remote, opts)
  } }
  const sudo = async (argv: string[]) => {
    const r = await shell.run(argv, { sudo: true })
    if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`)
  }
  // Where the time goes: each step's title and how long it took, for the slowest few.
  let steps: { title: string; at: number }[] = []
  const io = { signal: new AbortController().signal, log: (title: string) => void steps.push({ title, at: performance.now() }) }
  const [first, second] = [await bundleWith(agentBundle), await bundleWith(nextAgent)]
  // Today's way: the same steps with nothing packed and nothing asked of the unit.
  const plain = (b: RuntimeBundle): RuntimeInstallPlan => ({ ...runtimeInstallPlan({ bundle: { ...b, packed: new Map() }, sshUser: user }), reuseProbe: () => null })
  const packed = (b: RuntimeBundle): RuntimeInstallPlan => runtimeInstallPlan({ bundle: b, sshUser: user })
  // The whole install as a technician waits for it: look, send, unpack, check, move, self-test, switch, restart.
  const time = async (plan: RuntimeInstallPlan) => {
    sent = 0
    steps = []
    const t = performance.now()
    await runtimePlanInstaller(plan).install(counting, io)
    const end = performance.now()
    const slowest = steps
      .map((st, i) => ({ title: st.title, s: ((steps[i + 1]?.at ?? end) - st.at) / 1000 }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 4)
      .map((st) => `${st.title} ${st.s.toFixed(1)} s`)
    return { s: (end - t) / 1000, bytes: sent, slowest: slowest.join('; ') }
  }
  const activate = async (plan: RuntimeInstallPlan) => {
    for (const step of plan.activate) await sudo(step.argv)
  }

  await sudo(['rm', '-rf', '--', '/opt/edgedock'])
  const freshRef = await time(plain(first))
  await sudo(['rm', '-rf', '--', '/opt/edgedock'])
  const freshNew = await time(packed(first))
  const upRef = await time(plain(second))
  // The install switched to the new runtime: back to the old one in use, and the new one gone again.
  await activate(packed(first))
  await sudo(['rm', '-rf', '--', `/opt/edgedock/runtime/${second.version}`])
  const upNew = await time(packed(second))
  await session.close()

  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`
  console.log(`runtime-transfer-lab: runtime ${first.version} (${mb(first.totalBytes)}) to a lab Pi over ${rate}`)
  for (const [name, ref, ours] of [['fresh', freshRef, freshNew], ['upgrade', upRef, upNew]] as const) {
    console.log(`  ${name}: reference (every file as it is)  ${mb(ref.bytes)}  ${ref.s.toFixed(1)} s`)
    console.log(`  ${name}: edgedock (gzip + reuse)          ${mb(ours.bytes)}  ${ours.s.toFixed(1)} s`)
    console.log(`  ${name}: slowest steps, reference: ${ref.slowest}`)
    console.log(`  ${name}: slowest steps, edgedock: ${ours.slowest}`)
    console.log(`  ${name}: ratio bytes ${(ours.bytes / ref.bytes).toFixed(3)} (goal <= 0.40), time ${(ours.s / ref.s).toFixed(3)} (goal <= 0.50)`)
  }
}

if (process.argv[2] === '--inner') {
  const [host, user, password, nextAgent] = process.argv.slice(3) as [string, string, string, string]
  await inner(host, user, password, nextAgent)
} else {
  const lab = await import('../lab')
  const { labSkipReason } = await import('../lab/vitest')
  const skip = labSkipReason({ full: 1, net: 'ns' })
  if (skip) {
    console.log(`runtime-transfer-lab: skipped (${skip})`)
    process.exit(0)
  }
  ensureAgentBuilt()
  const work = mkdtempSync(path.join(tmpdir(), 'edgedock-bench-runtime-'))
  // The next runtime: the same Node and ONNX Runtime, an agent one line longer (a new agent release).
  const nextAgent = path.join(work, 'edgedock-agent.cjs')
  writeFileSync(nextAgent, `${readFileSync(agentBundle, 'utf8')}\n// next release\n`)
  // Built here: the lab's namespace has no route to the npm registry (Node is fetched once).
  await bundleWith(agentBundle)
  await bundleWith(nextAgent)
  const wasUp = lab.inventory().some((u) => u.kind === 'full')
  await lab.up({ count: 1, net: 'ns', quiet: true })
  const pi = lab.inventory().find((u) => u.kind === 'full') as { name: string; ip: string; user: string; password: string }
  try {
    await lab.shape(pi.name, { rate })
    const argv = lab.inLabArgv([process.execPath, '--import', 'tsx', import.meta.filename, '--inner', pi.ip, pi.user, pi.password, nextAgent])
    const r = spawnSync(argv[0] as string, argv.slice(1), { stdio: 'inherit', cwd: projectRoot })
    process.exitCode = r.status ?? 1
  } finally {
    await lab.shape(pi.name, undefined).catch(() => undefined)
    rmSync(work, { recursive: true, force: true })
    if (!wasUp) await lab.down({ quiet: true })
  }
}
