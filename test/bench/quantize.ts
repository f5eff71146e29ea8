// Static INT8 QDQ made by the quantize library, against FP32 measured in the same run: digits accuracy
// over the 360 held-out samples (calibrated on the first 100), and ResNet18 / MobileNetV2 file size,
// output fidelity on seeded inputs and host latency, beside the weight-only QDQ file (the simplest
// INT8: weights int8, activations float) measured in the same run.
// Run: npx tsx test/bench/quantize.ts
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import * as ort from 'onnxruntime-node'
import { seededInput } from '../../src/agent/bench/inputs'
import { argmax, latencyStats } from '../../src/main/core/models/compare-metrics'
import { quantizeModel } from '../../src/main/core/models/quantize'
import { modelProto, type OnnxModel } from '../../src/main/core/models/onnx-schema'
import { loadSampleSet } from '../../src/main/core/models/sample-set'
import { weightOnlyQdq } from './_model-variants'

const modelsDir = resolve('../shared/models')
if (!existsSync(modelsDir)) {
  console.log(`quantize: skipped, ${modelsDir} is not there`)
  process.exit(0)
}
const threads = 2
const open = (bytes: Uint8Array) => ort.InferenceSession.create(bytes, { intraOpNumThreads: threads, graphOptimizationLevel: 'all', logSeverityLevel: 3 })
const run = async (s: ort.InferenceSession, x: Float32Array, dims: number[]) => (await s.run({ input: new ort.Tensor('float32', x, dims) })).logits!.data as Float32Array

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0
  for (let i = 0; i < a.length; i++) { ab += a[i]! * b[i]!; aa += a[i]! * a[i]!; bb += b[i]! * b[i]! }
  return ab / Math.sqrt(aa * bb)
}

async function p50(s: ort.InferenceSession, x: Float32Array, dims: number[], runs = 20): Promise<number> {
  for (let i = 0; i < 3; i++) await run(s, x, dims)
  const times: number[] = []
  for (let i = 0; i < runs; i++) { const t = performance.now(); await run(s, x, dims); times.push(performance.now() - t) }
  return latencyStats(times).p50Ms
}

async function digits(): Promise<void> {
  const fp32 = await readFile(resolve(modelsDir, 'digits_cnn_fp32.onnx'))
  const set = await loadSampleSet(resolve(modelsDir, 'digits_test.json'))
  const rows = set.inputs.map((r) => Float32Array.from(r))
  const { bytes, report } = await quantizeModel(fp32, { calibration: rows.slice(0, 100) })
  const [a, b] = [await open(fp32), await open(bytes)]
  let okA = 0, okB = 0, agree = 0
  for (const [i, x] of rows.entries()) {
    const [pa, pb] = [argmax(await run(a, x, [1, 1, 8, 8])), argmax(await run(b, x, [1, 1, 8, 8]))]
    okA += Number(pa === set.labels[i]); okB += Number(pb === set.labels[i]); agree += Number(pa === pb)
  }
  console.log(`digits: FP32 ${okA}/360, static INT8 ${okB}/360, agreement ${(agree / 3.6).toFixed(1)} %, size ${(report.sizeAfter / report.sizeBefore).toFixed(3)}x`)
}

async function imageNet(file: string, label: string): Promise<void> {
  const fp32 = await readFile(resolve(modelsDir, file))
  const dims = [1, 3, 224, 224]
  const n = 3 * 224 * 224
  const calib = Array.from({ length: 10 }, (_, i) => seededInput(n, 1000 + i).map((v) => v * 2 - 1))
  const started = performance.now()
  const { bytes, report } = await quantizeModel(fp32, { calibration: calib })
  const seconds = (performance.now() - started) / 1000
  const [a, b] = [await open(fp32), await open(bytes)]
  let minCos = 1, maxRel = 0
  for (let i = 0; i < 50; i++) {
    const x = seededInput(n, i).map((v) => v * 2 - 1)
    const [ya, yb] = [await run(a, x, dims), await run(b, x, dims)]
    minCos = Math.min(minCos, cosine(ya, yb))
    let num = 0, den = 0
    for (let k = 0; k < ya.length; k++) { num += (ya[k]! - yb[k]!) ** 2; den += ya[k]! ** 2 }
    maxRel = Math.max(maxRel, Math.sqrt(num / den))
  }
  const x = seededInput(n, 7)
  const weightOnly = await open(weightOnlyQdq(fp32))
  const [la, lb, lw] = [await p50(a, x, dims), await p50(b, x, dims), await p50(weightOnly, x, dims)]
  console.log(`${label}: size ${(report.sizeAfter / report.sizeBefore).toFixed(3)}x, min cosine ${minCos.toFixed(4)}, max relative L2 error ${maxRel.toExponential(2)} (50 seeded inputs)`)
  console.log(`  p50 FP32 ${la.toFixed(2)} ms, INT8 ${lb.toFixed(2)} ms, ratio ${(lb / la).toFixed(2)} (${threads} threads); quantize took ${seconds.toFixed(1)} s`)
  console.log(`  reference: weight-only QDQ (per-tensor int8 weights, float activations) p50 ${lw.toFixed(2)} ms; static INT8 / weight-only ${(lb / lw).toFixed(2)}`)
  console.log(`  ${quantizedInputs(bytes)}`)
  console.log(`  quantized ${JSON.stringify(report.quantized)} kept float ${JSON.stringify(report.keptFloat)}`)
  console.log(`  ops after ${JSON.stringify(report.opsAfter)}`)
}

/** How many Conv/Gemm/MatMul nodes read both data and weight from a DequantizeLinear (so ORT fuses them). */
function quantizedInputs(bytes: Uint8Array): string {
  const g = (modelProto().decode(bytes) as unknown as OnnxModel).graph!
  const fromDq = new Set((g.node ?? []).filter((nd) => nd.opType === 'DequantizeLinear').flatMap((nd) => nd.output ?? []))
  const counts: Record<string, [number, number]> = {}
  for (const nd of g.node ?? []) {
    if (!['Conv', 'Gemm', 'MatMul'].includes(nd.opType ?? '')) continue
    const c = (counts[nd.opType as string] ??= [0, 0])
    c[1]++
    if (fromDq.has(nd.input?.[0] ?? '') && fromDq.has(nd.input?.[1] ?? '')) c[0]++
  }
  return `inputs quantized (data and weight from DequantizeLinear): ${Object.entries(counts).map(([op, [q, all]]) => `${op} ${q}/${all}`).join(', ')}`
}

await digits()
await imageNet('resnet18_fp32.onnx', 'resnet18')
await imageNet('mobilenet_v2_fp32.onnx', 'mobilenet_v2')
