import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ModelLibrary } from '../../../../../src/main/core/models/model-library'
import { createOrtEngine } from '../../../../../src/main/core/models/ort-engine'
import { memoryCatalog } from './memory-catalog'
import { classifierSamples, fp32Classifier, qdqClassifier, qlinearConvMixedTypes } from './onnx-fixtures'

let work: string
let library: ModelLibrary

async function file(name: string, bytes: Uint8Array): Promise<string> {
  await writeFile(join(work, name), bytes)
  return join(work, name)
}

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'edgedock-library-'))
  library = new ModelLibrary({ dataDir: join(work, 'data'), catalog: memoryCatalog(), engine: createOrtEngine({ intraOpNumThreads: 1 }) })
})
afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('ModelLibrary', () => {
  it('imports FP32 and INT8 versions, then compares them by name@version', async () => {
    await library.import(await file('digits.onnx', fp32Classifier()), { name: 'digits' })
    await library.import(await file('digits-int8.onnx', qdqClassifier()), { name: 'digits' })
    await writeFile(join(work, 'samples.json'), JSON.stringify(classifierSamples()))
    const report = await library.compare('digits@1', 'digits@2', join(work, 'samples.json'))
    expect(report.a.label).toBe('digits@1 (FP32)')
    expect(report.b.label).toBe('digits@2 (INT8 QDQ)')
    expect([report.a.accuracy, report.b.accuracy, report.top1Agreement]).toEqual([0.9, 0.9, 1])
  })

  it('inspects a stored model with both the parser and the runtime', async () => {
    const { record } = await library.import(await file('digits.onnx', fp32Classifier()))
    const inspection = await library.inspect(record.sha256.slice(0, 12))
    expect(inspection.summary.precision).toBe('fp32')
    expect(inspection.runtime).toMatchObject({ ok: true, inputs: [{ name: 'input', shape: ['N', 4] }] })
  })

  it('shows a model ORT cannot run as a runtime verdict, not a crash, and stores nothing on preview', async () => {
    const inspection = await library.inspectFile(await file('mixed.onnx', qlinearConvMixedTypes()))
    expect(inspection.summary.precision).toBe('int8-qoperator')
    expect(inspection.runtime).toMatchObject({ ok: false, code: 'MODEL_OP_UNSUPPORTED', detail: 'QLinearConv' })
    expect(library.list()).toEqual([])
    expect(await readdir(join(work, 'data')).catch(() => [])).toEqual([])
  })
})

describe('the demo model shipped in resources/models', () => {
  const demo = join(import.meta.dirname, '../../../../../resources/models')

  it('imports as FP32 digits and scores 97/100 on the shipped samples', async () => {
    const { record } = await library.import(join(demo, 'digits_cnn_fp32.onnx'), { name: 'digits-demo' })
    expect(record.sha256).toBe('bc860798bc7874ed5fc2b45753d75ad766bd55622edf75735dd3c6968ca6d76f')
    expect(record.summary).toMatchObject({ precision: 'fp32', parameterCount: 38282, opHistogram: { Conv: 2, Gemm: 2 } })
    const report = await library.compare('digits-demo@1', 'digits-demo@1', join(demo, 'digits_samples_100.json'))
    expect(report.a.correct).toBe(97)
    expect(report.a.inputDims).toEqual([1, 1, 8, 8])
  })
})
