// Benchmark: the same provisioning profile on 8 lab Pis at once (--concurrency 8) against 1 Pi alone,
// in the same run, through the real CLI inside the lab's namespace. What is timed is the provisioning
// job itself (its startedAt..finishedAt in the job record: connect, check, apply, verify on every
// unit), so Node's start-up does not water the ratio down; whole-process times are printed too.
// The ratio fleet/single is what to watch (goal <= 2x).
//
// Units (BENCH_UNITS):
// - light (default): namespaces with a real sshd on the host's CPU. The unit side is cheap and native,
//   so the figure is about EdgeDock: one Node process driving 8 SSH sessions (8 key exchanges, the
//   commands, the job store). Profile: provision-fleet.yaml (EdgeDock key only: light Pis share the
//   host's /etc and have no systemd, so hostname/timezone/service steps would touch the host).
// - full: QEMU Pis under TCG. On a 2-core machine 8 emulated CPUs share 2 real ones, so the ratio
//   measures the lab's CPU more than EdgeDock; shown for honesty, not as the goal's figure.
//   Profile: provision-fleet-full.yaml (key, hostname, time zone).
//
// `npm run bench -- provision-fleet` (root and the lab prerequisites). ROUNDS (default 5), UNITS
// (default 8). A lab that was down is taken down again; Pis added to a running lab stay up.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import * as lab from '../lab'
import { labSkipReason } from '../lab/vitest'

const kind = process.env.BENCH_UNITS === 'full' ? 'full' : 'light'
const rounds = Number(process.env.ROUNDS ?? 5)
const count = Number(process.env.UNITS ?? 8)
const needs = kind === 'full' ? { full: count, net: 'ns' as const } : { light: count }
const skip = labSkipReason(needs)
if (skip) {
  console.log(`provision-fleet: skipped (${skip})`)
  process.exit(0)
}

const root = path.resolve(import.meta.dirname, '../..')
const profile = path.join(import.meta.dirname, kind === 'full' ? 'provision-fleet-full.yaml' : 'provision-fleet.yaml')
const wasUp = lab.inventory().length > 0
const upStarted = performance.now()
if (kind === 'full') await lab.up({ count, net: 'ns', quiet: true })
else await lab.up({ count, light: true, quiet: true })
const upSeconds = (performance.now() - upStarted) / 1000
const units = lab.inventory().filter((u) => u.kind === kind).slice(0, count)
const work = mkdtempSync(path.join(tmpdir(), 'edgedock-bench-provision-'))

interface Run {
  jobMs: number
  processMs: number
  changes: number
  /** Units that did not finish (e.g. SSH_LINK_LOST when TCG guests starve): the round does not count. */
  failed: string[]
}

/** One provisioning of `group` from a fresh data folder (so EdgeDock's key is new to every unit). */
function provision(group: lab.InventoryEntry[], round: number, label: string): Run {
  const dataDir = mkdtempSync(path.join(work, `${label}-${round}-`))
  const plan = path.join(dataDir, 'plan.csv')
  // A hostname per run (s/f for single/fleet), so the hostname step changes something every time.
  const rows = group.map((u, i) => `${u.user}@${u.ip}:${u.port}${kind === 'full' ? `,bench-${label[0]}${round}-${i + 1}` : ''}`)
  writeFileSync(plan, `target${kind === 'full' ? ',hostname' : ''}\n${rows.join('\n')}\n`)
  const argv = [process.execPath, path.join(root, 'bin/edgedock.js'), '--data-dir', dataDir, '--json']
  const started = performance.now()
  const [file, ...args] = lab.inLabArgv([...argv, 'provision', '--vars-csv', plan, '--profile', profile, '--concurrency', String(group.length), '--password-env', 'PI_PASSWORD'])
  const r = spawnSync(file as string, args, { encoding: 'utf8', cwd: root, env: { ...process.env, PI_PASSWORD: group[0]?.password ?? '' } })
  const processMs = performance.now() - started
  let result: { summary: { changes: number }; units: { target: string; status: string; error?: { code: string } }[] }
  try {
    result = JSON.parse(r.stdout) as typeof result
  } catch {
    throw new Error(`provisioning ${label} failed (${r.status}):\n${r.stdout}\n${r.stderr}`)
  }
  const failed = result.units.filter((u) => u.status !== 'changed').map((u) => `${u.target} ${u.status} ${u.error?.code ?? ''}`.trim())
  const jobs = JSON.parse(spawnSync(process.execPath, [...argv.slice(1), 'jobs'], { encoding: 'utf8', cwd: root }).stdout) as { startedAt: number; finishedAt: number }[]
  const job = jobs[0]
  if (!job) throw new Error(`${label}: no job recorded`)
  return { jobMs: job.finishedAt - job.startedAt, processMs, changes: result.summary.changes, failed }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`

try {
  const single: Run[] = []
  const fleet: Run[] = []
  for (let round = 1; round <= rounds; round++) {
    // Alternating in each round, so load from elsewhere on the machine hits both alike.
    single.push(provision(units.slice(0, 1), round, 'single'))
    fleet.push(provision(units, round, 'fleet'))
  }
  const failures = [...single, ...fleet].flatMap((r, i) => r.failed.map((f) => `${i < single.length ? 'single' : 'fleet'} round ${(i % rounds) + 1}: ${f}`))
  // Only complete rounds count: a unit that dropped out makes a run look faster than it was.
  const ok = (runs: Run[]) => runs.filter((r) => r.failed.length === 0)
  const s = median(ok(single).map((r) => r.jobMs))
  const f = median(ok(fleet).map((r) => r.jobMs))
  console.log(`provision-fleet: ${kind} lab Pis, profile ${path.basename(profile)}, ${rounds} rounds, fresh key each round (lab up took ${upSeconds.toFixed(0)} s)`)
  const line = (all: Run[]) => {
    const runs = ok(all)
    if (runs.length === 0) return 'no complete run'
    return `job median ${fmt(median(runs.map((r) => r.jobMs)))}, min ${fmt(Math.min(...runs.map((r) => r.jobMs)))} (all: ${runs.map((r) => fmt(r.jobMs)).join(', ')}); whole CLI median ${fmt(median(runs.map((r) => r.processMs)))}`
  }
  console.log(`  reference: 1 unit alone             ${line(single)}`)
  console.log(`  ${count} units at once (--concurrency ${count}) ${line(fleet)}`)
  console.log(`  changes per round: ${single[0]?.changes} (single), ${fleet[0]?.changes} (fleet)`)
  for (const x of failures) console.log(`  not counted: ${x}`)
  if (s > 0 && f > 0) console.log(`  ratio ${count} at once / 1 alone ${(f / s).toFixed(2)} (medians of complete runs; goal <= 2.00; serial would be ${count}.00)`)
  if (failures.length > 0) process.exitCode = 1
} finally {
  rmSync(work, { recursive: true, force: true })
  if (!wasUp) await lab.down({ quiet: true })
}
