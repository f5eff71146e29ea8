// A calibration set as a technician has one: a JSON file with `{inputs, labels?}` (the sample-set
// format compare reads; labels make the comparison report accuracy) or a plain array of rows, or a
// folder of such files, read in name order. Rows become Float32Arrays for calibration.
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import * as z from 'zod'
import { SamplesInvalidError } from '../errors'
import { MAX_SAMPLE_SET_BYTES } from '../sample-set'

export interface CalibrationSet {
  rows: Float32Array[]
  /** One per row when every file had labels; otherwise null. */
  labels: number[] | null
  files: string[]
}

const row = z.array(z.number().finite()).min(1)
const schema = z.union([
  z.object({ inputs: z.array(row).min(1), labels: z.array(z.number().int().nonnegative()).optional() }),
  z.array(row).min(1)
])

export async function loadCalibrationSet(path: string): Promise<CalibrationSet> {
  let files: string[]
  let isDir: boolean
  try {
    isDir = (await stat(path)).isDirectory()
  } catch (err) {
    throw new SamplesInvalidError(`cannot read ${basename(path)}`, err)
  }
  if (isDir) {
    const names = (await readdir(path)).filter((n) => n.toLowerCase().endsWith('.json')).sort()
    if (names.length === 0) throw new SamplesInvalidError(`the folder ${basename(path)} holds no .json sample files`)
    files = names.map((n) => join(path, n))
  } else files = [path]

  const rows: Float32Array[] = []
  let labels: number[] | null = []
  let total = 0
  for (const file of files) {
    const size = (await stat(file)).size
    total += size
    if (total > MAX_SAMPLE_SET_BYTES) throw new SamplesInvalidError(`the calibration set is larger than ${MAX_SAMPLE_SET_BYTES / 1024 / 1024} MiB (use fewer samples)`)
    let json: unknown
    try {
      json = JSON.parse(await readFile(file, 'utf8'))
    } catch (err) {
      throw new SamplesInvalidError(`${basename(file)} is not JSON`, err)
    }
    const parsed = schema.safeParse(json)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : ''
      throw new SamplesInvalidError(`${basename(file)} is not a list of input rows${where}`, parsed.error)
    }
    const data = parsed.data
    const fileRows = Array.isArray(data) ? data : data.inputs
    const fileLabels = Array.isArray(data) ? undefined : data.labels
    if (fileLabels && fileLabels.length !== fileRows.length) throw new SamplesInvalidError(`${basename(file)} has ${fileRows.length} rows but ${fileLabels.length} labels`)
    for (const r of fileRows) rows.push(Float32Array.from(r))
    labels = labels && fileLabels ? [...labels, ...fileLabels] : null
  }
  const length = rows[0]!.length
  const odd = rows.findIndex((r) => r.length !== length)
  if (odd >= 0) throw new SamplesInvalidError(`calibration row ${odd} has ${rows[odd]!.length} values, row 0 has ${length}`)
  return { rows, labels, files }
}
