// Benchmark: bytes a push sends for a new version of ResNet18 (46.7 MB) when the unit serves the old
// one, against `rsync` (its delta transfer, plain and with -z) and a `bsdiff` patch of the same pair,
// all in the same run. Two changes: the head re-initialised (the last Gemm's weights and bias, seeded,
// as a fine-tune of the classifier does), and static INT8 re-quantized with another calibration set.
// Also: the time to make the delta here and to apply it (the agent's applier, on this machine).
// Goals: EdgeDock <= 1.1x bsdiff's bytes and fewer than rsync's.
// Run: `npm run bench -- model-delta` (rsync and bsdiff from Debian's packages; each skips alone).
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { applyDelta } from '../../src/agent/apply-delta'
import { makeDelta } from '../../src/main/core/deploy/model-delta'
import { seededInput } from '../../src/agent/bench/inputs'
import { quantizeModel } from '../../src/main/core/models/quantize'
import { headChanged } from './_model-variants'

const file = path.resolve(process.argv[2] ?? '../shared/models/resnet18_fp32.onnx')
if (!existsSync(file)) {
  console.log(`model-delta: skipped (${file} is not there; it lives in the team's shared/models folder)`)
  process.exit(0)
}
const dir = mkdtempSync(path.join(tmpdir(), 'edgedock-bench-delta-'))
const mb = (n: number) => `${(n / 1e6).toFixed(3)} MB`
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0

function rsyncBytes(base: string, target: string, compress: boolean): number | null {
  if (!has('rsync')) return null
  const dest = path.join(dir, 'rsync-dest')
  rmSync(dest, { recursive: true, force: true })
  spawnSync('mkdir', ['-p', dest])
  copyFileSync(base, path.join(dest, 'model.onnx'))
  // --no-whole-file: a local copy would otherwise send everything; this is what it sends over a link.
  const r = spawnSync('rsync', ['--no-whole-file', '--ignore-times', '--stats', ...(compress ? ['-z'] : []), target, path.join(dest, 'model.onnx')], { encoding: 'utf8' })
  const m = /Total bytes sent: ([\d,.]+)/.exec(r.stdout)
  return m ? Number((m[1] as string).replace(/[,.]/g, '')) : null
}

function bsdiffBytes(base: string, target: string): { bytes: number; seconds: number } | null {
  if (!has('bsdiff')) return null
  const patch = path.join(dir, 'patch.bsdiff')
  const t = performance.now()
  if (spawnSync('bsdiff', [base, target, patch]).status !== 0) return null
  return { bytes: statSync(patch).size, seconds: (performance.now() - t) / 1000 }
}

async function measure(label: string, base: Buffer, target: Buffer): Promise<void> {
  const baseFile = path.join(dir, 'base.onnx')
  const targetFile = path.join(dir, 'target.onnx')
  writeFileSync(baseFile, base)
  writeFileSync(targetFile, target)
  let t = performance.now()
  const d = await makeDelta(base, target)
  const makeS = (performance.now() - t) / 1000
  if (!d) throw new Error(`${label}: no delta was made`)
  const deltaFile = path.join(dir, 'model.delta.br')
  const out = path.join(dir, 'out.onnx')
  writeFileSync(deltaFile, d.bytes)
  rmSync(out, { force: true })
  t = performance.now()
  applyDelta({ base: baseFile, delta: deltaFile, out, sha256: createHash('sha256').update(target).digest('hex') })
  const applyS = (performance.now() - t) / 1000
  if (!readFileSync(out).equals(target)) throw new Error(`${label}: the applied delta is not the new file`)

  const ours = d.bytes.length
  const rsync = rsyncBytes(baseFile, targetFile, false)
  const rsyncZ = rsyncBytes(baseFile, targetFile, true)
  const bsdiff = bsdiffBytes(baseFile, targetFile)
  console.log(`${label} (${mb(target.length)}):`)
  console.log(`  edgedock delta ${mb(ours)} (${((100 * ours) / target.length).toFixed(2)} % of the file), made in ${makeS.toFixed(2)} s, applied in ${applyS.toFixed(2)} s`)
  console.log(`  rsync          ${rsync === null ? 'not installed' : `${mb(rsync)}, edgedock/rsync ${(ours / rsync).toFixed(2)}x`}`)
  console.log(`  rsync -z       ${rsyncZ === null ? 'not installed' : `${mb(rsyncZ)}, edgedock/rsync -z ${(ours / rsyncZ).toFixed(2)}x`}`)
  console.log(`  bsdiff patch   ${bsdiff === null ? 'not installed' : `${mb(bsdiff.bytes)} (made in ${bsdiff.seconds.toFixed(1)} s), edgedock/bsdiff ${(ours / bsdiff.bytes).toFixed(2)}x (goal <= 1.10)`}`)
}

try {
  const fp32 = readFileSync(file)
  await measure('head-only change', fp32, headChanged(fp32))
  const n = 3 * 224 * 224
  const calibration = (from: number) => Array.from({ length: 4 }, (_, i) => seededInput(n, from + i).map((v) => v * 2 - 1))
  const [a, b] = [await quantizeModel(fp32, { calibration: calibration(1000) }), await quantizeModel(fp32, { calibration: calibration(2000) })]
  await measure('static INT8 re-calibrated', Buffer.from(a.bytes), Buffer.from(b.bytes))
} finally {
  rmSync(dir, { recursive: true, force: true })
}
