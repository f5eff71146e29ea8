import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareModels } from '../../../../../src/main/core/models/compare-models'
import type { InferenceEngine } from '../../../../../src/main/core/models/inference-engine'
import { createOrtEngine } from '../../../../../src/main/core/models/ort-engine'
import { modelFolder } from './model-files'
import { classifierSamples, fp16Classifier, fp32Classifier, qdqClassifier, qlinearConvMixedTypes, qoperatorClassifier } from './onnx-fixtures'

const engine = createOrtEngine({ intraOpNumThreads: 1 })
let folder: Awaited<ReturnType<typeof modelFolder>>
const paths: Record<string, string> = {}

beforeAll(async () => {
  folder = await modelFolder()
  paths.fp32 = await folder.write('fp32.onnx', fp32Classifier())
  paths.qdq = await folder.write('qdq.onnx', qdqClassifier())
  paths.qop = await folder.write('qop.onnx', qoperatorClassifier())
  paths.fp16 = await folder.write('fp16.onnx', fp16Classifier())
  paths.mixed = await folder.write('mixed.onnx', qlinearConvMixedTypes())
})
afterAll(async () => {
  await folder.dispose()
})

const model = (key: string) => ({ path: paths[key] ?? '', label: key })

describe('compareModels with onnxruntime-node', () => {
  it('reports the accuracy of FP32 and INT8 QDQ on a labelled set, their agreement and output error', async () => {
    const report = await compareModels(engine, model('fp32'), model('qdq'), classifierSamples())
    expect(report.samples).toBe(10)
    expect([report.a.correct, report.a.accuracy]).toEqual([9, 0.9])
    expect([report.b.correct, report.b.accuracy]).toEqual([9, 0.9])
    expect([report.agreeing, report.top1Agreement]).toEqual([10, 1])
    // Inputs on a 1/255 grid, weights exact in int8 here: differences are rounding of the inputs.
    expect(report.outputError.maxAbs).toBeGreaterThan(0)
    expect(report.outputError.maxAbs).toBeLessThan(0.01)
    expect(report.outputError.maxRel).toBeLessThan(0.02)
    expect(report.a.inputDims).toEqual([1, 4])
    expect(report.a.latency.p50Ms).toBeGreaterThan(0)
  })

  it('shows no error between a model and itself, and compares QOperator and FP16 models too', async () => {
    const same = await compareModels(engine, model('fp32'), model('fp32'), classifierSamples())
    expect(same.outputError).toEqual({ maxAbs: 0, meanAbs: 0, maxRel: 0, meanRel: 0 })
    const qop = await compareModels(engine, model('fp32'), model('qop'), classifierSamples())
    expect(qop.b.accuracy).toBe(0.9)
    const fp16 = await compareModels(engine, model('fp32'), model('fp16'), classifierSamples())
    expect(fp16.top1Agreement).toBe(1)
    expect(fp16.outputError.maxRel).toBeLessThan(1e-3)
  })

  it('says which op ORT cannot run instead of crashing', async () => {
    await expect(compareModels(engine, model('fp32'), model('mixed'), classifierSamples())).rejects.toMatchObject({
      code: 'MODEL_OP_UNSUPPORTED',
      detail: 'QLinearConv',
      message: expect.stringMatching(/mixed.*QLinearConv/) as unknown
    })
  })

  it('reports progress per sample and honours limit', async () => {
    const progress: [number, number][] = []
    const report = await compareModels(engine, model('fp32'), model('qdq'), classifierSamples(), {
      limit: 4,
      onProgress: (done, total) => progress.push([done, total])
    })
    expect(report.samples).toBe(4)
    expect(progress).toEqual([[0, 4], [1, 4], [2, 4], [3, 4], [4, 4]])
  })

  it('refuses rows that do not fit the input shape', async () => {
    const samples = { inputs: [[1, 2, 3]], labels: [0] }
    await expect(compareModels(engine, model('fp32'), model('qdq'), samples)).rejects.toMatchObject({
      code: 'SAMPLES_SHAPE_MISMATCH',
      detail: '3 -> [N,4]'
    })
  })
})

describe('compareModels as a job', () => {
  // A fake engine: counts open sessions, outputs the input's first three values as logits.
  function fakeEngine() {
    let open = 0
    const engine: InferenceEngine = {
      description: 'fake',
      async open() {
        open += 1
        return {
          inputs: [{ name: 'x', isTensor: true, elementType: 'float32', shape: ['N', 4] }],
          outputs: [{ name: 'y', isTensor: true, elementType: 'float32', shape: ['N', 3] }],
          run: async (_name, data) => ({ y: { data: data.slice(0, 3), dims: [1, 3] } }),
          close: async () => {
            open -= 1
          }
        }
      }
    }
    return { engine, openSessions: () => open }
  }

  it('stops when cancelled, rejects with the abort reason and closes both sessions', async () => {
    const { engine: fake, openSessions } = fakeEngine()
    const controller = new AbortController()
    const seen: number[] = []
    const run = compareModels(fake, { path: 'a', label: 'a' }, { path: 'b', label: 'b' }, classifierSamples(), {
      onProgress: (done) => {
        seen.push(done)
        if (done === 3) controller.abort(new Error('cancelled by technician'))
      },
      signal: controller.signal
    })
    await expect(run).rejects.toThrow('cancelled by technician')
    expect(seen).toEqual([0, 1, 2, 3])
    expect(openSessions()).toBe(0)
  })

  it('refuses two models whose outputs differ in size', async () => {
    const { engine: fake } = fakeEngine()
    const narrow: InferenceEngine = {
      description: 'fake',
      async open(path, label) {
        const session = await fake.open(path, label)
        return { ...session, run: async (_n, data) => ({ y: { data: data.slice(0, 2), dims: [1, 2] } }) }
      }
    }
    const both: InferenceEngine = { description: 'fake', open: (p, l) => (p === 'b' ? narrow.open(p, l) : fake.open(p, l)) }
    await expect(compareModels(both, { path: 'a', label: 'a' }, { path: 'b', label: 'b' }, classifierSamples())).rejects.toMatchObject({
      code: 'COMPARE_OUTPUT_MISMATCH',
      detail: '3 vs 2'
    })
  })

  it('does not start when already cancelled', async () => {
    const { engine: fake, openSessions } = fakeEngine()
    await expect(
      compareModels(fake, { path: 'a', label: 'a' }, { path: 'b', label: 'b' }, classifierSamples(), { signal: AbortSignal.abort() })
    ).rejects.toMatchObject({ name: 'AbortError' })
    expect(openSessions()).toBe(0)
  })
})
