// What the model is fed: seeded pseudo-random values (the same on every unit for the same seed, so
// results compare) or the rows of a labelled sample set.
import { readFile } from 'node:fs/promises'
import { AgentError } from '../agent-error'
import { UsageError } from '../config'
import type { ModelShape } from '../resolve-dims'

export { seededInput } from '../../shared/seeded-input'

const product = (dims: readonly number[]): number => dims.reduce((n, d) => n * d, 1)
const shapeText = (shape: ModelShape): string => `[${(shape ?? []).join(',')}]`

/** Dims to feed: the model's shape with a symbolic first dim set to the batch and any other
 *  symbolic dim set to 1; --dims, when given, wins. */
export function benchDims(shape: ModelShape, batch: number, given: number[] | null): number[] {
  if (given) return given
  if (shape === null) return [batch]
  return shape.map((d, i) => {
    const fixed = typeof d === 'number' && d > 0
    if (i === 0 && fixed && batch !== 1 && d !== batch) throw new UsageError(`--batch ${batch} cannot apply: the model's first dim is fixed at ${d}`)
    if (i === 0 && !fixed) return batch
    return fixed ? d : 1
  })
}

export interface SampleSet {
  inputs: number[][]
  labels: number[]
}

const isRow = (row: unknown): row is number[] => Array.isArray(row) && row.length > 0 && row.every((v) => typeof v === 'number' && Number.isFinite(v))

export async function loadSampleSet(file: string): Promise<SampleSet> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'))
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not readable JSON'
    throw new UsageError(`--samples ${file}: ${why}`)
  }
  const { inputs, labels } = (parsed ?? {}) as { inputs?: unknown; labels?: unknown }
  if (!Array.isArray(inputs) || inputs.length === 0 || !inputs.every(isRow)) {
    throw new UsageError(`--samples ${file}: "inputs" must be a non-empty array of rows of numbers`)
  }
  if (!Array.isArray(labels) || labels.length !== inputs.length || !labels.every((l) => Number.isInteger(l) && l >= 0)) {
    throw new UsageError(`--samples ${file}: "labels" must hold one non-negative integer class per input row`)
  }
  return { inputs, labels: labels as number[] }
}

/** Values one sample takes: everything but the batch dim. */
export function perSampleLength(dims: readonly number[]): number {
  return dims.length > 1 ? product(dims.slice(1)) : 1
}

export function checkSampleShape(set: SampleSet, dims: readonly number[], shape: ModelShape): void {
  const need = perSampleLength(dims)
  const bad = set.inputs.findIndex((row) => row.length !== need)
  if (bad >= 0) {
    throw new AgentError('AGENT_BAD_REQUEST', `sample ${bad} has ${set.inputs[bad]?.length} values but the model input ${shapeText(shape)} takes ${need} per sample`, 400)
  }
}

/** `batch` consecutive samples from `start`, wrapping around the set, as one flat array. */
export function sampleBatch(set: SampleSet, start: number, batch: number): Float32Array {
  const width = set.inputs[0]?.length ?? 0
  const out = new Float32Array(width * batch)
  for (let j = 0; j < batch; j++) out.set(set.inputs[(start + j) % set.inputs.length] as number[], j * width)
  return out
}
