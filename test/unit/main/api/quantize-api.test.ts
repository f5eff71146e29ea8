// The quantize job through the one dispatch on a real app (real SQLite, real model library, real
// onnxruntime): a new version with its lineage and comparison, or a coded refusal that stores nothing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type EdgeDockApp } from '../../../../src/main/app/create-app'
import { quantizeResultSchema } from '../../../../src/shared/contract-quantize'
import type { MethodName } from '../../../../src/shared/contract'
import { samples, smallCnn } from '../core/models/quantize/small-cnn'
import { rows, smallMlp } from '../core/models/quantize/small-mlp'

let app: EdgeDockApp
let dir: string
let calibrationFile: string

const call = async (method: MethodName, input: unknown) => app.dispatch(method, input, { transport: 'cli' })
async function value<T = unknown>(method: MethodName, input: unknown): Promise<T> {
  const r = await call(method, input)
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`)
  return r.value as T
}
const finished = async (input: unknown) => app.services.jobs.wait((await value<{ jobId: string }>('models.quantize', input)).jobId)
const versions = () => app.services.models.list().map((r) => `${r.name}@${r.version}`).sort()

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'edgedock-quantize-'))
  app = createApp({ dataDir: path.join(dir, 'data'), resourcesDir: path.resolve('resources') })
  writeFileSync(path.join(dir, 'cnn.onnx'), smallCnn())
  writeFileSync(path.join(dir, 'mlp.onnx'), smallMlp())
  await value('models.import', { file: { path: path.join(dir, 'cnn.onnx') }, version: '1' })
  await value('models.import', { file: { path: path.join(dir, 'mlp.onnx') }, version: '1' })
  // Labels are FP32's own answers, so FP32 scores 100% and the INT8 accuracy is its agreement.
  const session = await ort.InferenceSession.create(smallCnn())
  const inputs = samples(30)
  const labels: number[] = []
  for (const x of inputs) {
    const y = (await session.run({ input: new ort.Tensor('float32', x, [1, 1, 8, 8]) })).logits!.data as Float32Array
    labels.push(y.indexOf(Math.max(...y)))
  }
  await session.release()
  calibrationFile = path.join(dir, 'calibration.json')
  writeFileSync(calibrationFile, JSON.stringify({ inputs: inputs.map((r) => Array.from(r)), labels }))
})
afterAll(() => {
  app.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('models.quantize', () => {
  it('stores static INT8 as the next version with its lineage and the comparison on the job', async () => {
    const job = await finished({ ref: 'cnn@1', method: 'static', calibration: { path: calibrationFile } })
    expect(job.error).toBeNull()
    const result = quantizeResultSchema.parse(job.result)
    expect(result.model).toMatchObject({ ref: 'cnn@2', alreadyPresent: false })
    expect(result.compare).toMatchObject({ samples: 30, inputs: 'calibration' })
    expect(result.compare.accuracy?.before).toBe(1)
    expect(result.compare.accuracy?.after).toBeGreaterThanOrEqual(0.9)
    expect(result.compare.cosine.mean).toBeGreaterThan(0.98)
    expect(result.compare.latency.after.p90Ms).toBeGreaterThan(0)
    expect(result.opsAfter.QuantizeLinear).toBeGreaterThan(0)

    const cnn1 = app.services.models.store.get('cnn@1')
    const lineage = await value<{ lineage: { parentSha256: string; method: string; calibrationSha256: string; settings: Record<string, unknown> } | null; parent: { sha256: string } }>('models.lineage', { ref: 'cnn@2' })
    expect(lineage.lineage).toMatchObject({ parentSha256: cnn1.sha256, method: 'static', calibrationSha256: result.calibration?.sha256, settings: { perChannel: true, calibrate: 'minmax' } })
    expect(lineage.parent.sha256).toBe(cnn1.sha256)
    const parent = await value<{ lineage: unknown; children: { record: { version: string } }[] }>('models.lineage', { ref: 'cnn@1' })
    expect(parent.lineage).toBeNull()
    expect(parent.children.map((c) => c.record.version)).toEqual(['2'])
    const history = await value<{ summary: string }[]>('history.query', { kind: 'model.quantized' })
    expect(history.map((h) => h.summary)).toEqual([expect.stringContaining('Quantized cnn@1 (static) into cnn@2')])
  })

  it('quantizes dynamically without a calibration set, comparing on seeded inputs', async () => {
    const job = await finished({ ref: 'mlp@1', method: 'dynamic', version: 'int8' })
    const result = quantizeResultSchema.parse(job.result)
    expect(result.model.ref).toBe('mlp@int8')
    expect(result.compare).toMatchObject({ inputs: 'seeded', samples: 50, accuracy: null })
    expect(result.compare.cosine.min).toBeGreaterThan(0.99)
    expect(result.quantized).toEqual({ MatMul: 2, Gemm: 1 })
    expect(result.sizeRatio).toBeLessThan(0.4)
  })

  it('reads a folder of calibration files', async () => {
    const folder = path.join(dir, 'cal')
    mkdirSync(folder)
    const part = (seed: number) => JSON.stringify(rows(5, seed).map((r) => Array.from(r)))
    writeFileSync(path.join(folder, 'a.json'), part(1))
    writeFileSync(path.join(folder, 'b.json'), part(50))
    const job = await finished({ ref: 'mlp@1', method: 'static', calibration: { path: folder }, perChannel: false })
    const result = quantizeResultSchema.parse(job.result)
    expect(result.calibration?.samples).toBe(10)
    expect(result.sizeRatio).toBeLessThan(0.5)
  })

  it('advises a method from the op mix', async () => {
    expect(await value('models.quantizeAdvice', { ref: 'cnn@1', calibration: true })).toMatchObject({ method: 'static', reason: 'quantize.reason.convStatic' })
    expect(await value('models.quantizeAdvice', { ref: 'mlp@1' })).toMatchObject({ method: 'dynamic' })
  })

  it('refuses bad input with a code and stores nothing', async () => {
    const before = versions()
    // Static INT8 without a calibration set is refused before any job exists.
    const jobCount = async () => (await value<unknown[]>('jobs.list', { limit: 500 })).length
    const jobsBefore = await jobCount()
    const noCalibration = await call('models.quantize', { ref: 'cnn@1', method: 'static' })
    expect(noCalibration.ok ? 'ok' : [noCalibration.error.code, noCalibration.error.message]).toEqual(['INVALID_INPUT', expect.stringMatching(/needs a calibration set .*dynamic INT8 or FP16/)])
    expect(await jobCount()).toBe(jobsBefore)
    const again = await finished({ ref: 'cnn@2', method: 'dynamic' })
    expect(again.error?.code).toBe('MODEL_NOT_QUANTIZABLE')
    const wrongShape = path.join(dir, 'short.json')
    writeFileSync(wrongShape, JSON.stringify([[1, 2, 3]]))
    expect((await finished({ ref: 'cnn@1', method: 'static', calibration: { path: wrongShape } })).error?.code).toBe('SAMPLES_SHAPE_MISMATCH')
    expect((await finished({ ref: 'cnn@1', method: 'fp16', exclude: ['no-such-node'] })).error?.code).toBe('QUANTIZE_EXCLUDE_UNKNOWN')
    const missing = await call('models.quantize', { ref: 'nope@1', method: 'fp16' })
    expect(missing.ok ? 'ok' : missing.error.code).toBe('MODEL_NOT_FOUND')
    const controller = await value<{ jobId: string }>('models.quantize', { ref: 'cnn@1', method: 'static', calibration: { path: calibrationFile } })
    app.services.jobs.cancel(controller.jobId)
    expect((await app.services.jobs.wait(controller.jobId)).state).toBe('cancelled')
    expect(versions()).toEqual(before)
  })
})
