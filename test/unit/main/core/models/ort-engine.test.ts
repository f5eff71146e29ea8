import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOrtEngine } from '../../../../../src/main/core/models/ort-engine'
import { inspectWithRuntime } from '../../../../../src/main/core/models/runtime-inspect'
import { modelFolder } from './model-files'
import { fp16Classifier, fp32Classifier, garbageBytes, qlinearConvMixedTypes } from './onnx-fixtures'

const engine = createOrtEngine({ intraOpNumThreads: 1 })
let folder: Awaited<ReturnType<typeof modelFolder>>

beforeAll(async () => {
  folder = await modelFolder()
})
afterAll(async () => {
  await folder.dispose()
})

describe('inspectWithRuntime over onnxruntime-node', () => {
  it('reads input and output names, types and shapes', async () => {
    const inspection = await inspectWithRuntime(engine, await folder.write('fp32.onnx', fp32Classifier()), 'fp32')
    expect(inspection.engine).toMatch(/^onnxruntime-node 1\.30\.0/)
    expect(inspection.inputs).toEqual([{ name: 'input', isTensor: true, elementType: 'float32', shape: ['N', 4] }])
    expect(inspection.outputs).toEqual([{ name: 'logits', isTensor: true, elementType: 'float32', shape: ['N', 3] }])
    expect(inspection.loadMs).toBeGreaterThanOrEqual(0)
  })

  it('names the op when ORT has no CPU kernel for it', async () => {
    const path = await folder.write('mixed.onnx', qlinearConvMixedTypes())
    await expect(inspectWithRuntime(engine, path, 'faces@2')).rejects.toMatchObject({
      code: 'MODEL_OP_UNSUPPORTED',
      detail: 'QLinearConv',
      message: expect.stringContaining('faces@2') as unknown
    })
  })

  it('says MODEL_LOAD_FAILED for a file ORT cannot read', async () => {
    const path = await folder.write('junk.onnx', garbageBytes())
    await expect(inspectWithRuntime(engine, path, 'junk')).rejects.toMatchObject({ code: 'MODEL_LOAD_FAILED' })
  })
})

describe('ORT engine runs', () => {
  it('feeds float32 samples and returns float32 outputs from an FP16 model', async () => {
    const session = await engine.open(await folder.write('fp16.onnx', fp16Classifier()), 'fp16')
    try {
      const out = await session.run('input', Float32Array.from([0.9, 0.1, 0.2, 0.5]), [1, 4])
      expect(out.logits?.dims).toEqual([1, 3])
      expect(Array.from(out.logits?.data ?? [])).toEqual([
        expect.closeTo(0.95, 3),
        expect.closeTo(0.15, 3),
        expect.closeTo(0.25, 3)
      ])
    } finally {
      await session.close()
    }
  })
})
