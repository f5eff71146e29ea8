// The comparison a quantization is judged by, run at once on the host: both models over the same
// inputs (the calibration set, or seeded inputs when there is none), giving top-1 accuracy when the
// inputs are labelled, top-1 agreement, output cosine similarity and relative error, and latency
// p50/p90 of each with the same thread count. A result that is slower or loses more than the
// threshold is flagged, so it is seen rather than pushed unnoticed.
import os from 'node:os'
import * as ort from 'onnxruntime-node'
import { seededInput } from '../../../../shared/seeded-input'
import { argmax, OutputErrorAccumulator } from '../compare-metrics'
import { ModelInputUnsupportedError, SamplesShapeMismatchError } from '../errors'
import { sampleDims } from '../sample-set'
import { cancelled } from './errors'

export interface LatencyPair { p50Ms: number; p90Ms: number }
export type QuantizeFlag = 'slower' | 'accuracyDrop' | 'lowAgreement' | 'lowCosine'

export interface QuantizeComparison {
  samples: number
  /** 'calibration' when the calibration set was used, 'seeded' for generated inputs. */
  inputs: 'calibration' | 'seeded'
  threads: number
  accuracy: { before: number; after: number } | null
  agreement: number
  cosine: { mean: number; min: number }
  relError: { max: number; mean: number }
  latency: { before: LatencyPair; after: LatencyPair }
  flags: QuantizeFlag[]
}

export interface CompareInput {
  rows: Float32Array[] | null
  labels: number[] | null
  limit?: number
  threads?: number
  /** Largest accepted accuracy (or agreement) loss, 0..1; 0.02 by default. */
  maxLoss?: number
  signal?: AbortSignal
  onProgress?: (done: number, total: number) => void
}

const SEEDED_SAMPLES = 50
const WARMUP = 3

export async function compareQuantized(before: Uint8Array, after: Uint8Array, input: CompareInput): Promise<QuantizeComparison> {
  const threads = input.threads ?? Math.min(4, os.availableParallelism())
  const options: ort.InferenceSession.SessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, logSeverityLevel: 3 }
  const a = await ort.InferenceSession.create(before, options)
  const b = await ort.InferenceSession.create(after, options).catch(async (err: unknown) => {
    await a.release()
    throw err
  })
  try {
    const meta = a.inputMetadata[0]
    if (a.inputNames.length !== 1 || !meta?.isTensor) throw new ModelInputUnsupportedError('the model', `it takes ${a.inputNames.length} inputs; comparison feeds exactly one`)
    const shape = meta.shape.map((d) => (typeof d === 'number' ? d : String(d)))
    let rows = input.rows
    if (!rows) {
      const fixed = shape.slice(1)
      if (!fixed.every((d) => typeof d === 'number' && d > 0)) throw new ModelInputUnsupportedError('the model', 'its input has dynamic dimensions, so give a calibration set to compare on')
      const length = (fixed as number[]).reduce((x, y) => x * y, 1)
      rows = Array.from({ length: SEEDED_SAMPLES }, (_, i) => seededInput(length, 1000 + i))
    }
    const total = Math.min(rows.length, input.limit ?? 200)
    const dims = sampleDims(shape, rows[0]!.length)
    if (!dims) throw new SamplesShapeMismatchError('the model', rows[0]!.length, shape)
    const name = a.inputNames[0]!
    const feed = (r: Float32Array) => ({ [name]: new ort.Tensor('float32', r, dims) })
    const first = (out: ort.InferenceSession.ReturnType, s: ort.InferenceSession) => out[s.outputNames[0]!]!.data as Float32Array
    for (let i = 0; i < WARMUP; i++) {
      await a.run(feed(rows[0]!))
      await b.run(feed(rows[0]!))
    }
    const times: [number[], number[]] = [[], []]
    const errors = new OutputErrorAccumulator()
    let agree = 0
    const correct = [0, 0]
    let cosSum = 0
    let cosMin = 1
    const labels = input.labels && input.labels.length >= total ? input.labels : null
    for (let s = 0; s < total; s++) {
      if (input.signal?.aborted) throw cancelled()
      const row = rows[s]!
      let t = performance.now()
      const ya = first(await a.run(feed(row)), a)
      times[0].push(performance.now() - t)
      t = performance.now()
      const yb = first(await b.run(feed(row)), b)
      times[1].push(performance.now() - t)
      errors.add(ya, yb)
      const [ca, cb] = [argmax(ya), argmax(yb)]
      if (ca === cb) agree += 1
      if (labels) {
        if (ca === labels[s]) correct[0]! += 1
        if (cb === labels[s]) correct[1]! += 1
      }
      const c = cosine(ya, yb)
      cosSum += c
      cosMin = Math.min(cosMin, c)
      input.onProgress?.(s + 1, total)
    }
    const err = errors.result()
    const result: Omit<QuantizeComparison, 'flags'> = {
      samples: total,
      inputs: input.rows ? 'calibration' : 'seeded',
      threads,
      accuracy: labels ? { before: correct[0]! / total, after: correct[1]! / total } : null,
      agreement: agree / total,
      cosine: { mean: cosSum / total, min: cosMin },
      relError: { max: err.maxRel, mean: err.meanRel },
      latency: { before: percentiles(times[0]), after: percentiles(times[1]) }
    }
    return { ...result, flags: flagsOf(result, input.maxLoss ?? 0.02) }
  } finally {
    await Promise.all([a.release(), b.release()])
  }
}

export function flagsOf(r: Omit<QuantizeComparison, 'flags'>, maxLoss: number): QuantizeFlag[] {
  const flags: QuantizeFlag[] = []
  // 5% of slack: sub-millisecond timings of two equally fast models differ by noise alone.
  if (r.latency.after.p50Ms > r.latency.before.p50Ms * 1.05) flags.push('slower')
  if (r.accuracy && r.accuracy.before - r.accuracy.after > maxLoss) flags.push('accuracyDrop')
  if (1 - r.agreement > maxLoss) flags.push('lowAgreement')
  if (r.cosine.mean < 0.98) flags.push('lowCosine')
  return flags
}

function percentiles(samples: number[]): LatencyPair {
  const sorted = [...samples].sort((x, y) => x - y)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0
  return { p50Ms: at(0.5), p90Ms: at(0.9) }
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0
  let aa = 0
  let bb = 0
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * (b[i] ?? 0)
    aa += a[i]! * a[i]!
    bb += (b[i] ?? 0) * (b[i] ?? 0)
  }
  // Two all-zero outputs agree exactly.
  return aa === 0 && bb === 0 ? 1 : aa === 0 || bb === 0 ? 0 : ab / Math.sqrt(aa * bb)
}
