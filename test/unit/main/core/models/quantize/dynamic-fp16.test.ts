import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { EdgeError } from '../../../../../../src/shared/errors'
import { catalogues } from '../../../../../../src/shared/i18n'
import { formatMessage } from '../../../../../../src/shared/i18n/message'
import { parseOnnx } from '../../../../../../src/main/core/models/onnx-parse'
import { modelProto, type OnnxModel } from '../../../../../../src/main/core/models/onnx-schema'
import { quantizeModel, recommendMethod } from '../../../../../../src/main/core/models/quantize'
import { garbageBytes, qdqClassifier } from '../onnx-fixtures'
import { samples, smallCnn } from './small-cnn'
import { addOnly, rows, smallMlp } from './small-mlp'

async function run(bytes: Uint8Array, inputs: Float32Array[], dims: number[]): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(bytes)
  const out: Float32Array[] = []
  for (const x of inputs) {
    const result = await session.run({ [session.inputNames[0]!]: new ort.Tensor('float32', x, dims) })
    const y = result[session.outputNames[0]!]!
    expect(y.type).toBe('float32')
    out.push(y.data as Float32Array)
  }
  await session.release()
  return out
}

const cosine = (a: Float32Array, b: Float32Array) => {
  let ab = 0, aa = 0, bb = 0
  a.forEach((v, i) => { ab += v * b[i]!; aa += v * v; bb += b[i]! * b[i]! })
  return ab / Math.sqrt(aa * bb)
}
/** max |a - b| over max |a|, per sample. */
const relError = (a: Float32Array, b: Float32Array) => {
  let diff = 0, ref = 0
  a.forEach((v, i) => { diff = Math.max(diff, Math.abs(v - b[i]!)); ref = Math.max(ref, Math.abs(v)) })
  return diff / ref
}

const codeOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof EdgeError ? e.code : String(e)))
const decode = (bytes: Uint8Array) => modelProto().decode(bytes) as unknown as OnnxModel

describe('dynamic quantization', () => {
  it('turns MatMul and Gemm into MatMulInteger with 8-bit per-channel weights, close to FP32 and smaller', async () => {
    const fp32 = smallMlp()
    const { bytes, report } = await quantizeModel(fp32, { method: 'dynamic' })
    const test = rows(20)
    const [a, b] = [await run(fp32, test, [1, 64]), await run(bytes, test, [1, 64])]
    for (let i = 0; i < test.length; i++) {
      expect(cosine(a[i]!, b[i]!)).toBeGreaterThanOrEqual(0.995)
      expect(relError(a[i]!, b[i]!)).toBeLessThan(0.05)
    }
    // int8 weights are a quarter; node and scale names add the rest on a model this small.
    expect(bytes.length).toBeLessThan(0.4 * fp32.length)
    expect(report).toMatchObject({ method: 'dynamic', quantized: { MatMul: 2, Gemm: 1 }, calibration: null, settings: { perChannel: true, activationType: null } })
    expect(report.opsAfter).toMatchObject({ MatMulInteger: 3, DynamicQuantizeLinear: 3, Min: 1 })
    expect(report.opsAfter.MatMul).toBeUndefined()
    const w1 = decode(bytes).graph?.initializer?.find((t) => t.name === 'W1_quantized')
    // uint8 around zero point 128 (U8U8): no int16 saturation on x86 CPUs without VNNI.
    expect(w1?.dataType).toBe(2)
    expect(decode(bytes).graph?.initializer?.find((t) => t.name === 'W1_zero_point')?.dims?.map(Number)).toEqual([])
    expect(decode(bytes).graph?.initializer?.find((t) => t.name === 'W1_scale')?.dims?.map(Number)).toEqual([48])
    expect(parseOnnx(bytes).precision).toBe('int8-qoperator')
  })

  it('turns Conv into ConvInteger that ONNX Runtime runs, per tensor too', async () => {
    for (const perChannel of [true, false]) {
      const { bytes, report } = await quantizeModel(smallCnn(), { method: 'dynamic', perChannel })
      expect(report.quantized).toMatchObject({ Conv: 1, Gemm: 1 })
      expect(report.opsAfter.ConvInteger).toBe(1)
      const test = samples(5, 700)
      const [a, b] = [await run(smallCnn(), test, [1, 1, 8, 8]), await run(bytes, test, [1, 1, 8, 8])]
      for (let i = 0; i < test.length; i++) expect(cosine(a[i]!, b[i]!)).toBeGreaterThanOrEqual(0.98)
    }
  })

  it('keeps excluded nodes float and refuses names the model does not have', async () => {
    const { bytes, report } = await quantizeModel(smallMlp(), { method: 'dynamic', exclude: ['fc2'] })
    expect(report.quantized).toEqual({ MatMul: 2 })
    expect(report.keptFloat).toEqual({ Gemm: 1 })
    // An opset-10 export with no op whose meaning changed by 13 is moved to 13, as the static pass does.
    expect((await quantizeModel(smallMlp({ opset: 10 }), { method: 'dynamic' })).report.settings.opset).toBe(13)
    expect(parseOnnx(bytes).opHistogram.Gemm).toBe(1)
    expect(await codeOf(quantizeModel(smallMlp(), { method: 'dynamic', exclude: ['fc2', 'nope'] }))).toBe('QUANTIZE_EXCLUDE_UNKNOWN')
  })
})

describe('FP16 conversion', () => {
  it('halves the weights, keeps float32 inputs and outputs, and leaves blocked ops in float32', async () => {
    const fp32 = smallMlp()
    const { bytes, report } = await quantizeModel(fp32, { method: 'fp16' })
    const test = rows(10, 300)
    const [a, b] = [await run(fp32, test, [1, 64]), await run(bytes, test, [1, 64])]
    for (let i = 0; i < test.length; i++) expect(relError(a[i]!, b[i]!)).toBeLessThan(0.01)
    expect(bytes.length).toBeLessThan(0.55 * fp32.length)
    expect(report.keptFloat).toEqual({ Min: 1 })
    const model = decode(bytes)
    const types = Object.fromEntries((model.graph?.initializer ?? []).map((t) => [t.name, t.dataType]))
    expect(types).toMatchObject({ W1: 10, B1: 10, W2: 10, W3: 10, six: 1 })
    expect(model.graph?.input?.[0]?.type?.tensorType?.elemType).toBe(1)
    expect(model.graph?.output?.[0]?.type?.tensorType?.elemType).toBe(1)
    // input -> fp16, h2 -> fp32 for Min, Min's output -> fp16, the fp16 logits -> fp32.
    expect(report.opsAfter.Cast).toBe(4)
    expect(parseOnnx(bytes).precision).toBe('fp16')
  })

  it('converts a CNN (BatchNorm folded first) within float16 precision', async () => {
    const { bytes } = await quantizeModel(smallCnn(), { method: 'fp16' })
    const test = samples(5, 40)
    const [a, b] = [await run(smallCnn(), test, [1, 1, 8, 8]), await run(bytes, test, [1, 1, 8, 8])]
    for (let i = 0; i < test.length; i++) expect(relError(a[i]!, b[i]!)).toBeLessThan(0.01)
  })
})

describe('bad input for dynamic and FP16', () => {
  it('refuses with the module codes', async () => {
    expect(await codeOf(quantizeModel(garbageBytes(), { method: 'dynamic' }))).toBe('MODEL_MALFORMED')
    expect(await codeOf(quantizeModel(qdqClassifier(), { method: 'dynamic' }))).toBe('MODEL_NOT_QUANTIZABLE')
    expect(await codeOf(quantizeModel(qdqClassifier(), { method: 'fp16' }))).toBe('MODEL_NOT_QUANTIZABLE')
    expect(await codeOf(quantizeModel(addOnly(), { method: 'dynamic' }))).toBe('MODEL_NOT_QUANTIZABLE')
    expect(await codeOf(quantizeModel(smallCnn(), { method: 'static' }))).toBe('SAMPLES_INVALID')
  })

  it('words the refusal in English and Chinese', () => {
    const en = formatMessage(catalogues.en['error.MODEL_NOT_QUANTIZABLE'], 'en', { detail: 'it is already quantized' })
    const zh = formatMessage(catalogues.zh['error.MODEL_NOT_QUANTIZABLE'], 'zh', { detail: 'it is already quantized' })
    expect(en).toContain('it is already quantized')
    expect(zh).toMatch(/无法量化/)
  })
})

describe('recommendMethod', () => {
  const summary = (bytes: Uint8Array) => parseOnnx(bytes)
  it('picks from the op mix and says why', () => {
    expect(recommendMethod(summary(smallCnn()), true)).toMatchObject({ method: 'static', reason: 'quantize.reason.convStatic', conv: 1, matmul: 1 })
    expect(recommendMethod(summary(smallCnn()), false)).toMatchObject({ method: 'static', reason: 'quantize.reason.convNoCalibration' })
    expect(recommendMethod(summary(smallMlp()), false)).toMatchObject({ method: 'dynamic', reason: 'quantize.reason.matmulDynamic', matmul: 3 })
    expect(recommendMethod(summary(addOnly()), false)).toMatchObject({ method: 'fp16', reason: 'quantize.reason.nothingInteger' })
    expect(recommendMethod(summary(qdqClassifier()), true)).toMatchObject({ method: null, reason: 'quantize.reason.alreadyQuantized' })
    const r = recommendMethod(summary(smallMlp()), false)
    expect(formatMessage(catalogues.zh[r.reason], 'zh', { conv: r.conv, matmul: r.matmul })).toContain('3 个 MatMul/Gemm')
  })
})
