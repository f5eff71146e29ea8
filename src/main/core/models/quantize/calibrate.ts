// Collects the value range of every tensor to quantize by running the float model on the calibration
// set, the way onnxruntime's calibrators do: MinMax adds ReduceMin/ReduceMax outputs, the histogram
// methods expose the tensors themselves. Graph optimisation is off so no tensor is fused away.
import { createHash } from 'node:crypto'
import * as ort from 'onnxruntime-node'
import { SamplesInvalidError, SamplesShapeMismatchError } from '../errors'
import { modelProto, type OnnxModel } from '../onnx-schema'
import { sampleDims } from '../sample-set'
import { cancelled, QuantizeError } from './errors'
import { FLOAT, intAttr } from './graph'
import { addToHistogram, entropyRange, newHistogram, percentileRange, type Histogram } from './histogram'

export type CalibrationMethod = 'minmax' | 'percentile' | 'entropy'
export type Range = [number, number]

export interface CalibrationOptions {
  method: CalibrationMethod
  /** Percentile kept by 'percentile'; 99.999 as in onnxruntime. */
  percentile?: number
  /** Histogram bins; 2048 keeps the entropy search finer than onnxruntime's default of 128. */
  bins?: number
  batchSize?: number
}

export interface Progress { phase: 'calibrate'; done: number; total: number }

export interface CalibrationRun { signal?: AbortSignal; onProgress?: (p: Progress) => void }

export interface CalibrationInput { name: string; shape: (number | string)[] | null }

/** The dims of one sample, or a refusal naming what is wrong with the set. */
export function checkCalibrationSet(samples: readonly Float32Array[], input: CalibrationInput): number[] {
  if (samples.length === 0) throw new SamplesInvalidError('the calibration set is empty')
  const length = samples[0]!.length
  for (const [i, s] of samples.entries()) {
    if (!(s instanceof Float32Array)) throw new SamplesInvalidError(`calibration sample ${i} is not a Float32Array`)
    if (s.length !== length) throw new SamplesInvalidError(`calibration sample ${i} has ${s.length} values, sample 0 has ${length}`)
    if (!s.every(Number.isFinite)) throw new SamplesInvalidError(`calibration sample ${i} holds NaN or infinity`)
  }
  const symbolic = (input.shape ?? []).slice(1).filter((d) => typeof d === 'string' || d < 0).length
  if (symbolic > 1) {
    throw new QuantizeError('MODEL_INPUT_UNSUPPORTED', `Input "${input.name}" has ${symbolic} dynamic dimensions besides the batch, so calibration cannot shape the samples`, `input "${input.name}" has dynamic dimensions`)
  }
  const dims = sampleDims(input.shape, length)
  if (!dims) throw new SamplesShapeMismatchError('the model', length, input.shape ?? [])
  return dims
}

export function calibrationSha256(samples: readonly Float32Array[]): string {
  const hash = createHash('sha256')
  for (const s of samples) hash.update(new Uint8Array(s.buffer, s.byteOffset, s.byteLength))
  return hash.digest('hex')
}

export async function calibrate(
  model: OnnxModel,
  tensors: readonly string[],
  input: CalibrationInput,
  samples: readonly Float32Array[],
  options: CalibrationOptions,
  run: CalibrationRun = {}
): Promise<Map<string, Range>> {
  const dims = checkCalibrationSet(samples, input)
  const useHistogram = options.method !== 'minmax'
  const augmented = augment(model, tensors, useHistogram)
  const session = await ort.InferenceSession.create(augmented, { graphOptimizationLevel: 'disabled', logSeverityLevel: 3 })
  const batchable = input.shape !== null && (typeof input.shape[0] === 'string' || (input.shape[0] ?? 0) < 0)
  const batch = batchable ? Math.max(1, options.batchSize ?? 10) : 1
  const minmax = new Map<string, Range>()
  const histograms = new Map<string, Histogram>()
  const total = Math.ceil(samples.length / batch)
  try {
    for (let b = 0; b < total; b++) {
      if (run.signal?.aborted) throw cancelled()
      const rows = samples.slice(b * batch, (b + 1) * batch)
      const data = new Float32Array(rows.length * rows[0]!.length)
      rows.forEach((r, i) => data.set(r, i * r.length))
      const feed = new ort.Tensor('float32', data, [rows.length, ...dims.slice(1)])
      const out = await session.run({ [input.name]: feed })
      for (const name of tensors) {
        if (useHistogram) {
          const values = out[name]?.data as Float32Array | undefined
          if (!values) continue
          const h = histograms.get(name) ?? newHistogram(options.bins ?? 2048)
          addToHistogram(h, values)
          histograms.set(name, h)
        } else {
          const lo = (out[`${name}__min`]?.data as Float32Array | undefined)?.[0]
          const hi = (out[`${name}__max`]?.data as Float32Array | undefined)?.[0]
          if (lo === undefined || hi === undefined) continue
          const seen = minmax.get(name)
          minmax.set(name, seen ? [Math.min(seen[0], lo), Math.max(seen[1], hi)] : [lo, hi])
        }
      }
      run.onProgress?.({ phase: 'calibrate', done: b + 1, total })
    }
  } finally {
    await session.release()
  }
  if (!useHistogram) return minmax
  const ranges = new Map<string, Range>()
  for (const [name, h] of histograms) {
    ranges.set(name, options.method === 'percentile' ? percentileRange(h, options.percentile ?? 99.999) : entropyRange(h))
  }
  return ranges
}

function augment(model: OnnxModel, tensors: readonly string[], exposeTensors: boolean): Uint8Array {
  const graph = model.graph ?? {}
  const existing = new Set((graph.output ?? []).map((o) => o.name))
  const floatOutput = (name: string) => ({ name, type: { tensorType: { elemType: FLOAT } } })
  const nodes = [...(graph.node ?? [])]
  const outputs = [...(graph.output ?? [])]
  for (const t of tensors) {
    if (exposeTensors) {
      if (!existing.has(t)) outputs.push(floatOutput(t))
      continue
    }
    for (const op of ['Min', 'Max']) {
      const out = `${t}__${op.toLowerCase()}`
      nodes.push({ opType: `Reduce${op}`, name: out, input: [t], output: [out], attribute: [intAttr('keepdims', 0)] })
      outputs.push(floatOutput(out))
    }
  }
  return modelProto().encode({ ...model, graph: { ...graph, node: nodes, output: outputs } }).finish()
}
