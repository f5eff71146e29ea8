// Turns an /infer body into one flat float array and its dims, filling the model's symbolic dims
// (batch first) from the data so clients can send plain rows.
import { AgentError } from './agent-error'

export type ModelShape = readonly (number | string)[] | null

export interface FlatInput {
  data: number[]
  dims: number[]
}

function bad(message: string): AgentError {
  return new AgentError('AGENT_BAD_REQUEST', message, 400)
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v))
}

/** Validates `{input, dims?}` and flattens a batch of rows. */
export function flattenInput(body: unknown): { data: number[]; rows: number | null; dims: number[] | null } {
  if (typeof body !== 'object' || body === null) throw bad('the body must be a JSON object {input, dims?}')
  const { input, dims } = body as { input?: unknown; dims?: unknown }
  if (dims !== undefined && (!isNumberArray(dims) || dims.some((d) => !Number.isInteger(d) || d < 0))) {
    throw bad('dims must be an array of non-negative integers')
  }
  if (!Array.isArray(input) || input.length === 0) throw bad('input must be a non-empty array of numbers or of rows')
  if (isNumberArray(input)) return { data: input, rows: null, dims: dims ?? null }
  if (!input.every(isNumberArray)) throw bad('input must hold only finite numbers, or only rows of finite numbers')
  const rows = input as number[][]
  const width = rows[0]?.length ?? 0
  if (width === 0 || rows.some((r) => r.length !== width)) throw bad('all input rows must be non-empty and of the same length')
  return { data: rows.flat(), rows: rows.length, dims: dims ?? null }
}

const product = (dims: readonly number[]): number => dims.reduce((n, d) => n * d, 1)

/**
 * The dims to feed: given dims are checked against the data; otherwise the batch dim is the number of
 * rows (1 for a flat input) and at most one other symbolic dim is solved from the data's length.
 */
export function resolveDims(shape: ModelShape, length: number, rows: number | null, given: number[] | null): number[] {
  if (given) {
    if (product(given) !== length) throw bad(`dims [${given.join(',')}] need ${product(given)} values, input has ${length}`)
    return given
  }
  const batch = rows ?? 1
  if (shape === null || shape.length === 0) return rows === null ? [length] : [batch, length / batch]
  const dims: (number | null)[] = shape.map((d, i) => (i === 0 && (typeof d === 'string' || d < 0) ? batch : typeof d === 'number' && d >= 0 ? d : null))
  const free = dims.flatMap((d, i) => (d === null ? [i] : []))
  const known = dims.reduce<number>((n, d) => n * (d ?? 1), 1)
  if (free.length > 1) throw bad(`the model input [${shape.join(',')}] has several free dims: send dims`)
  const [at] = free
  if (at !== undefined) {
    if (known === 0 || length % known !== 0) throw bad(`${length} values do not fit the model input [${shape.join(',')}]`)
    dims[at] = length / known
  }
  const resolved = dims as number[]
  if (product(resolved) !== length) {
    throw bad(`${length} values do not fit the model input [${shape.join(',')}] (needs ${product(resolved)} for batch ${batch})`)
  }
  return resolved
}

/** One argmax per batch row: rows are the first dim, classes the rest. */
export function argmaxPerRow(data: ArrayLike<number>, dims: readonly number[]): number[] {
  const rows = dims.length > 1 ? (dims[0] ?? 1) : 1
  const width = rows > 0 ? data.length / rows : 0
  const out: number[] = []
  for (let r = 0; r < rows; r++) {
    let best = 0
    for (let i = 1; i < width; i++) {
      if ((data[r * width + i] as number) > (data[r * width + best] as number)) best = i
    }
    out.push(best)
  }
  return out
}
