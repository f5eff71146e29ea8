// Benchmark: how long `edgedock` takes as a whole process (what a script or a technician waits for),
// against `node -e 0` measured in the same run, so the figures say what EdgeDock adds on top of
// starting Node itself. `devices list` runs on a data dir seeded with 1,000 units.
// Run: npx tsx test/bench/cli-startup.ts   (ROUNDS=N for more runs; rebuild first: node scripts/build-cli.js)
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createApp } from '../../src/main/app/create-app'
import { directClient } from '../../src/main/api/dispatch'

const root = path.resolve(import.meta.dirname, '../..')
const bin = path.join(root, 'bin', 'edgedock.js')
const rounds = Number(process.env.ROUNDS ?? 15)
const units = 1000
// The goals, as extra time over bare Node (--version) and as a whole-process time (devices list).
const versionGoalOverNodeMs = 150
const listGoalMs = 300

if (!existsSync(path.join(root, 'out', 'cli', 'edgedock.mjs'))) {
  console.log('cli-startup: out/cli/edgedock.mjs is missing; run node scripts/build-cli.js first')
  process.exit(1)
}

const dataDir = mkdtempSync(path.join(tmpdir(), 'edgedock-bench-cli-'))
// The bundle, not the sources: EDGEDOCK_FROM_SOURCE would measure tsx, not what users run.
const env = { ...process.env, EDGEDOCK_DATA_DIR: dataDir, EDGEDOCK_FROM_SOURCE: '' }

/** Seeds through the contract, as the CLI would, but in one process: 1,000 CLI starts would take minutes. */
async function seed(): Promise<void> {
  const app = createApp({ dataDir })
  try {
    const call = directClient(app.dispatch)
    for (let i = 0; i < units; i++) {
      await call('devices.add', { host: `10.${(i >> 8) & 255}.${i & 255}.${(i % 200) + 10}`, port: 22, user: 'pi', name: `bench-${String(i).padStart(4, '0')}` })
    }
  } finally {
    app.close()
  }
}

interface Figure {
  label: string
  median: number
  min: number
}

function run(argv: string[]): number {
  const t = performance.now()
  const r = spawnSync(argv[0] as string, argv.slice(1), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 })
  const ms = performance.now() - t
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 400)}`)
  return ms
}

type Case = { label: string; argv: string[] }

/** Interleaved rounds (each case once per round), so a burst of load on the shared host hits every case alike. */
function measure(cases: Case[]): Figure[] {
  for (const c of cases) run(c.argv) // warm the page cache
  const times = cases.map(() => [] as number[])
  for (let i = 0; i < rounds; i++) cases.forEach((c, j) => times[j]?.push(run(c.argv)))
  return cases.map((c, j) => {
    const t = (times[j] ?? []).sort((a, b) => a - b)
    return { label: c.label, median: t[Math.floor(t.length / 2)] ?? 0, min: t[0] ?? 0 }
  })
}

try {
  const seedStart = performance.now()
  await seed()
  console.log(`cli-startup: ${rounds} runs each, interleaved, node ${process.version}; seeded ${units} devices in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`)
  const node = process.execPath
  const [bare, ...rest] = measure([
    { label: 'reference: node -e 0', argv: [node, '-e', '0'] },
    { label: 'edgedock --version', argv: [node, bin, '--version'] },
    { label: 'edgedock --help', argv: [node, bin, '--help'] },
    { label: `edgedock devices list (${units} devices)`, argv: [node, bin, 'devices', 'list'] },
    { label: `edgedock devices list --json (${units})`, argv: [node, bin, 'devices', 'list', '--json'] }
  ])
  if (!bare) throw new Error('no reference figure')
  const row = (f: Figure, extra = '') =>
    console.log(
      `  ${f.label.padEnd(40)} median ${f.median.toFixed(0).padStart(5)} ms  min ${f.min.toFixed(0).padStart(5)} ms` +
        (f === bare ? '' : `  = ${(f.median / bare.median).toFixed(1)}x node, +${(f.median - bare.median).toFixed(0)} ms`) +
        extra
    )
  row(bare)
  const [version, help, list, listJson] = rest as [Figure, Figure, Figure, Figure]
  const versionOk = version.median - bare.median <= versionGoalOverNodeMs
  row(version, `  goal +${versionGoalOverNodeMs} ms: ${versionOk ? 'met' : 'NOT met'}`)
  row(help)
  const listOk = list.median <= listGoalMs
  row(list, `  goal ${listGoalMs} ms: ${listOk ? 'met' : 'NOT met'}`)
  row(listJson)
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}
