// Runs two models (say FP32 and its INT8 version) over the same labelled samples and reports what a
// quantization costs: accuracy of each, how often they pick the same class, how far their outputs
// drift, and how long each takes per sample. Long enough to be a job: progress and cancel built in.
import { argmax, latencyStats, OutputErrorAccumulator, type LatencyStats, type OutputError } from './compare-metrics'
import { CompareOutputMismatchError, ModelInputUnsupportedError, SamplesShapeMismatchError } from './errors'
import type { InferenceEngine, InferenceSession } from './inference-engine'
import { sampleDims, type SampleSet } from './sample-set'

export interface CompareModel {
  path: string
  /** How the technician knows it, e.g. "digits@2 (INT8 QDQ)"; used in the report and in errors. */
  label: string
}

export interface CompareOptions {
  /** Only the first `limit` samples. */
  limit?: number
  /** Untimed runs per model before timing starts (first runs allocate and warm caches). */
  warmupRuns?: number
  signal?: AbortSignal
  onProgress?: (done: number, total: number) => void
  now?: () => number
}

export interface ModelResult {
  label: string
  inputName: string
  outputName: string
  inputDims: number[]
  correct: number
  /** correct / samples, 0..1. */
  accuracy: number
  latency: LatencyStats
}

export interface CompareReport {
  engine: string
  samples: number
  a: ModelResult
  b: ModelResult
  /** Samples where both models pick the same class. */
  agreeing: number
  /** agreeing / samples, 0..1. */
  top1Agreement: number
  /** Differences of B's first output from A's (A is the reference). */
  outputError: OutputError
}

interface Opened {
  model: CompareModel
  session: InferenceSession
  inputName: string
  outputName: string
  dims: number[]
  latencies: number[]
  correct: number
}

export async function compareModels(
  engine: InferenceEngine,
  a: CompareModel,
  b: CompareModel,
  samples: SampleSet,
  options: CompareOptions = {}
): Promise<CompareReport> {
  const now = options.now ?? (() => performance.now())
  const total = Math.min(samples.inputs.length, options.limit ?? Infinity)
  const rowLength = samples.inputs[0]?.length ?? 0
  options.signal?.throwIfAborted()

  const opened: Opened[] = []
  try {
    for (const model of [a, b]) {
      opened.push(await prepare(engine, model, rowLength))
      options.signal?.throwIfAborted()
    }
    const [ra, rb] = opened as [Opened, Opened]

    const warmup = options.warmupRuns ?? 2
    const first = Float32Array.from(samples.inputs[0] ?? [])
    for (let i = 0; i < warmup && total > 0; i++) {
      for (const r of opened) await r.session.run(r.inputName, first, r.dims)
    }

    const errors = new OutputErrorAccumulator()
    let agreeing = 0
    options.onProgress?.(0, total)
    for (let s = 0; s < total; s++) {
      options.signal?.throwIfAborted()
      const row = Float32Array.from(samples.inputs[s] ?? [])
      const label = samples.labels[s]
      const outA = await runTimed(ra, row, now)
      const outB = await runTimed(rb, row, now)
      if (outA.length !== outB.length) throw new CompareOutputMismatchError(outA.length, outB.length)
      const classA = argmax(outA)
      const classB = argmax(outB)
      if (classA === label) ra.correct += 1
      if (classB === label) rb.correct += 1
      if (classA === classB) agreeing += 1
      errors.add(outA, outB)
      options.onProgress?.(s + 1, total)
    }

    return {
      engine: engine.description,
      samples: total,
      a: result(ra, total),
      b: result(rb, total),
      agreeing,
      top1Agreement: total > 0 ? agreeing / total : 0,
      outputError: errors.result()
    }
  } finally {
    await Promise.all(opened.map((r) => r.session.close().catch(() => undefined)))
  }
}

async function prepare(engine: InferenceEngine, model: CompareModel, rowLength: number): Promise<Opened> {
  const session = await engine.open(model.path, model.label)
  try {
    const input = session.inputs[0]
    const output = session.outputs.find((o) => o.isTensor)
    if (session.inputs.length !== 1 || !input) {
      throw new ModelInputUnsupportedError(model.label, `it takes ${session.inputs.length} inputs; comparison feeds exactly one`)
    }
    if (!output) throw new ModelInputUnsupportedError(model.label, 'it has no tensor output')
    const dims = sampleDims(input.shape, rowLength)
    if (!dims) throw new SamplesShapeMismatchError(model.label, rowLength, input.shape ?? [])
    return { model, session, inputName: input.name, outputName: output.name, dims, latencies: [], correct: 0 }
  } catch (err) {
    await session.close().catch(() => undefined)
    throw err
  }
}

async function runTimed(r: Opened, row: Float32Array, now: () => number): Promise<Float32Array> {
  const started = now()
  const outputs = await r.session.run(r.inputName, row, r.dims)
  r.latencies.push(now() - started)
  const out = outputs[r.outputName]
  if (!out) throw new ModelInputUnsupportedError(r.model.label, `its output "${r.outputName}" is not numeric`)
  return out.data
}

function result(r: Opened, total: number): ModelResult {
  return {
    label: r.model.label,
    inputName: r.inputName,
    outputName: r.outputName,
    inputDims: r.dims,
    correct: r.correct,
    accuracy: total > 0 ? r.correct / total : 0,
    latency: latencyStats(r.latencies)
  }
}
