// Compare figures on the trained digits model: FP32 against an INT8 QDQ version made here (weights
// quantized per tensor, symmetric int8, each behind a DequantizeLinear; activations stay float), over
// the 360 held-out samples of shared/models/digits_test.json. Latency is reported next to a reference
// measured in the same run: the FP32 model compared with itself.
// Run: npx tsx test/bench/models-compare-digits.ts [digits.onnx] [digits_test.json]
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { compareModels } from '../../src/main/core/models/compare-models'
import { parseOnnx } from '../../src/main/core/models/onnx-parse'
import { createOrtEngine } from '../../src/main/core/models/ort-engine'
import { loadSampleSet } from '../../src/main/core/models/sample-set'
import { weightOnlyQdq } from './_model-variants'

// The 360 held-out samples (and the model they were held out from) are kept outside the repository:
// by default both are read from the models folder the team keeps next to the checkout; pass paths to
// use others. Without them the benchmark skips.
const modelPath = resolve(process.argv[2] ?? '../shared/models/digits_cnn_fp32.onnx')
const samplesPath = resolve(process.argv[3] ?? '../shared/models/digits_test.json')
if (!existsSync(modelPath) || !existsSync(samplesPath)) {
  console.log('models-compare-digits: skipped, the shared digits model or samples are not there')
  process.exit(0)
}

const work = await mkdtemp(join(tmpdir(), 'edgedock-bench-compare-'))
try {
  const fp32 = await readFile(modelPath)
  const int8 = weightOnlyQdq(fp32)
  const int8Path = join(work, 'digits_int8_qdq.onnx')
  await writeFile(int8Path, int8)
  const s32 = parseOnnx(fp32)
  const s8 = parseOnnx(int8)
  console.log(`FP32 ${fp32.length} bytes (${s32.precision}), INT8 ${int8.length} bytes (${s8.precision}, weights ${s8.quantization?.weightTypes.join('/')})`)

  const samples = await loadSampleSet(samplesPath)
  const engine = createOrtEngine({ intraOpNumThreads: 1 })
  const a = { path: modelPath, label: 'digits FP32' }
  const reference = await compareModels(engine, a, { ...a, label: 'digits FP32 (again)' }, samples, { warmupRuns: 5 })
  const report = await compareModels(engine, a, { path: int8Path, label: 'digits INT8 QDQ' }, samples, { warmupRuns: 5 })
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`
  console.log(`${report.samples} samples, ${report.engine}`)
  for (const r of [report.a, report.b]) {
    console.log(`  ${r.label.padEnd(16)} accuracy ${r.correct}/${report.samples} = ${pct(r.accuracy)}, latency p50 ${r.latency.p50Ms.toFixed(3)} ms, mean ${r.latency.meanMs.toFixed(3)} ms`)
  }
  console.log(`  top-1 agreement ${report.agreeing}/${report.samples} = ${pct(report.top1Agreement)}`)
  const e = report.outputError
  console.log(`  output error: max abs ${e.maxAbs.toExponential(2)}, mean abs ${e.meanAbs.toExponential(2)}, max rel ${e.maxRel.toExponential(2)}, mean rel ${e.meanRel.toExponential(2)}`)
  console.log(`  latency ratio INT8/FP32 ${(report.b.latency.p50Ms / report.a.latency.p50Ms).toFixed(2)}; reference FP32/FP32 ${(reference.b.latency.p50Ms / reference.a.latency.p50Ms).toFixed(2)}`)
} finally {
  await rm(work, { recursive: true, force: true })
}
