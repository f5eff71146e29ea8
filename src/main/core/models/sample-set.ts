// A labelled sample set: `{inputs: number[][], labels: number[]}`, one flat row per sample (as
// digits_test.json: 64 floats per 8x8 image). Rows are reshaped to each model's input shape.
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import * as z from 'zod'
import { SamplesInvalidError } from './errors'

export interface SampleSet {
  inputs: number[][]
  labels: number[]
}

const schema = z
  .object({
    inputs: z.array(z.array(z.number().finite()).min(1)).min(1),
    labels: z.array(z.number().int().nonnegative())
  })
  .refine((s) => s.labels.length === s.inputs.length, { message: 'there must be one label per input row' })
  .refine((s) => s.inputs.every((row) => row.length === s.inputs[0]?.length), { message: 'all input rows must have the same length' })

export function parseSampleSet(value: unknown): SampleSet {
  const result = schema.safeParse(value)
  if (!result.success) {
    const issue = result.error.issues[0]
    const where = issue?.path.length ? ` (at ${issue.path.join('.')})` : ''
    throw new SamplesInvalidError(`${issue?.message ?? 'wrong shape'}${where}`, result.error)
  }
  return { inputs: result.data.inputs, labels: result.data.labels }
}

/**
 * Room for a few hundred face crops as JSON numbers; checked before reading, so a wrong file (a disk
 * image, /dev/zero) is refused at once instead of filling memory.
 */
export const MAX_SAMPLE_SET_BYTES = 256 * 1024 * 1024

export async function loadSampleSet(path: string): Promise<SampleSet> {
  let text: string
  let size: number
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new Error('not a regular file')
    size = info.size
  } catch (err) {
    throw new SamplesInvalidError(`cannot read ${basename(path)}`, err)
  }
  if (size > MAX_SAMPLE_SET_BYTES) {
    const mib = (n: number) => `${Math.round(n / 1024 / 1024)} MiB`
    throw new SamplesInvalidError(`${basename(path)} is ${mib(size)}, larger than the ${mib(MAX_SAMPLE_SET_BYTES)} limit (use fewer samples)`)
  }
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new SamplesInvalidError(`cannot read ${basename(path)}`, err)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new SamplesInvalidError(`${basename(path)} is not JSON`, err)
  }
  return parseSampleSet(json)
}

/**
 * The dims one sample is fed with: the batch dim (first, symbolic or -1) becomes 1; one other symbolic
 * dim may be solved from the row length. Returns null when the row cannot fill the shape.
 */
export function sampleDims(shape: readonly (number | string)[] | null, rowLength: number): number[] | null {
  if (shape === null) return [1, rowLength]
  const dims = shape.map((d, i) => (i === 0 && (typeof d === 'string' || d < 0) ? 1 : d))
  const unknown = dims.flatMap((d, i) => (typeof d === 'string' || d < 0 ? [i] : []))
  const known = dims.reduce<number>((n, d) => (typeof d === 'number' && d >= 0 ? n * d : n), 1)
  if (unknown.length > 1) return null
  const [free] = unknown
  if (free !== undefined) {
    if (known === 0 || rowLength % known !== 0) return null
    dims[free] = rowLength / known
  }
  const resolved = dims as number[]
  return resolved.reduce((n, d) => n * d, 1) === rowLength ? resolved : null
}
