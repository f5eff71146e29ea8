// `npm run bench [-- NAME...]`: runs every benchmark in test/bench one after another (they share two
// cores, so never in parallel). Each prints its own figures as ratios against a reference measured in
// the same run (readFile+sha256, scp, nmap, a plain loop); this runner only sequences them.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'

const dir = import.meta.dirname
const wanted = process.argv.slice(2)
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort()

const results: { name: string; status: number | null; seconds: number }[] = []
for (const file of benches) {
  console.log(`\n=== ${file} ===`)
  const started = Date.now()
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], { stdio: 'inherit', cwd: path.resolve(dir, '../..') })
  results.push({ name: file, status: r.status, seconds: (Date.now() - started) / 1000 })
}
console.log('\n=== summary ===')
for (const r of results) console.log(`${r.status === 0 ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(36)} ${r.seconds.toFixed(1)} s`)
process.exitCode = results.every((r) => r.status === 0) ? 0 : 1
