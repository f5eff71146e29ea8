import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { EdgeError } from '../../../../../../src/shared/errors'
import { quantizeModel } from '../../../../../../src/main/core/models/quantize'
import { modelProto, type OnnxModel } from '../../../../../../src/main/core/models/onnx-schema'
import { garbageBytes, qdqClassifier } from '../onnx-fixtures'
import { samples, smallCnn } from './small-cnn'

async function outputs(bytes: Uint8Array, inputs: Float32Array[]): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(bytes)
  const out: Float32Array[] = []
  for (const x of inputs) out.push((await session.run({ input: new ort.Tensor('float32', x, [1, 1, 8, 8]) })).logits!.data as Float32Array)
  await session.release()
  return out
}

const cosine = (a: Float32Array, b: Float32Array) => {
  let ab = 0, aa = 0, bb = 0
  a.forEach((v, i) => { ab += v * b[i]!; aa += v * v; bb += b[i]! * b[i]! })
  return ab / Math.sqrt(aa * bb)
}

const codeOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof EdgeError ? e.code : String(e)))

describe('quantizeModel (static QDQ)', () => {
  it('keeps outputs close to FP32, shrinks weights and stores per-channel scales and int32 biases', async () => {
    const fp32 = smallCnn()
    const progress: number[] = []
    const { bytes, report } = await quantizeModel(fp32, { calibration: samples(20) }, { onProgress: (p) => progress.push(p.done) })
    const test = samples(10, 500)
    const [a, b] = [await outputs(fp32, test), await outputs(bytes, test)]
    for (let i = 0; i < test.length; i++) expect(cosine(a[i]!, b[i]!)).toBeGreaterThanOrEqual(0.98)
    expect(progress).toEqual([1, 2])
    expect(report.preprocess).toMatchObject({ batchNormsFolded: 1, identitiesRemoved: 1, reluAbsorbed: 1 })
    expect(report.quantized).toMatchObject({ Conv: 1, Gemm: 1, MaxPool: 1, Flatten: 1 })
    expect(report.opsAfter.BatchNormalization).toBeUndefined()
    expect(report.opsAfter.QuantizeLinear).toBeGreaterThan(0)
    expect(report.calibration?.sha256).toMatch(/^[0-9a-f]{64}$/)

    const model = modelProto().decode(bytes) as unknown as OnnxModel
    const init = (suffix: string, op: string) => model.graph?.initializer?.find((t) => t.name?.includes(op) && t.name.endsWith(suffix))
    expect(init('_quantized', 'W_bn_1')?.dataType).toBe(3)
    expect(init('_scale', 'W_bn_1')?.dims?.map(Number)).toEqual([4])
    expect(model.graph?.initializer?.some((t) => t.dataType === 6 && t.name?.endsWith('_quantized'))).toBe(true)
  })

  it('supports int8 activations and per-tensor weights', async () => {
    const { bytes, report } = await quantizeModel(smallCnn(), { calibration: samples(5), activationType: 'int8', perChannel: false })
    expect(report.settings).toMatchObject({ activationType: 'int8', perChannel: false })
    const [a, b] = [await outputs(smallCnn(), samples(3, 900)), await outputs(bytes, samples(3, 900))]
    for (let i = 0; i < 3; i++) expect(cosine(a[i]!, b[i]!)).toBeGreaterThanOrEqual(0.95)
  })

  it('stops when cancelled', async () => {
    const controller = new AbortController()
    controller.abort()
    expect(await codeOf(quantizeModel(smallCnn(), { calibration: samples(3) }, { signal: controller.signal }))).toBe('JOB_CANCELLED')
  })

  it('refuses bad input with codes', async () => {
    expect(await codeOf(quantizeModel(garbageBytes(), { calibration: samples(1) }))).toBe('MODEL_MALFORMED')
    expect(await codeOf(quantizeModel(qdqClassifier(), { calibration: samples(1) }))).toBe('MODEL_NOT_QUANTIZABLE')
    expect(await codeOf(quantizeModel(smallCnn(), { calibration: [] }))).toBe('SAMPLES_INVALID')
    expect(await codeOf(quantizeModel(smallCnn(), { calibration: [new Float32Array(64), new Float32Array(10)] }))).toBe('SAMPLES_INVALID')
    expect(await codeOf(quantizeModel(smallCnn(), { calibration: [new Float32Array(63)] }))).toBe('SAMPLES_SHAPE_MISMATCH')
    expect(await codeOf(quantizeModel(smallCnn({ inputShape: ['N', 1, 'H', 'W'] }), { calibration: samples(1) }))).toBe('MODEL_INPUT_UNSUPPORTED')
  })
})
