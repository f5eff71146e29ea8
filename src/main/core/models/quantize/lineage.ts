// Where a quantized version came from, kept in the ONNX file's own metadata_props: the lineage travels
// with the file (to a unit, to a colleague) and the library's catalogue already stores every model's
// metadata, so no table is needed to answer "what is this a quantization of".
import type { ModelRecord } from '../model-catalog'

export interface Lineage {
  parentSha256: string
  /** name@version of the parent when it was quantized. */
  parentRef: string
  method: string
  calibrationSha256: string | null
  settings: Record<string, unknown>
  /** When the version entered the library (the file carries no time, so the same quantization of
   *  the same parent gives the same bytes and is stored once). */
  createdAt: number
}

const PREFIX = 'edgedock.quantize.'

export function lineageMetadata(l: Omit<Lineage, 'createdAt'>): Record<string, string> {
  return {
    [`${PREFIX}parent_sha256`]: l.parentSha256,
    [`${PREFIX}parent`]: l.parentRef,
    [`${PREFIX}method`]: l.method,
    [`${PREFIX}calibration_sha256`]: l.calibrationSha256 ?? '',
    [`${PREFIX}settings`]: JSON.stringify(l.settings)
  }
}

/** The lineage a record's file carries, or null for a model EdgeDock did not quantize. */
export function lineageOf(record: ModelRecord): Lineage | null {
  const m = record.summary.metadata
  const parent = m[`${PREFIX}parent_sha256`]
  if (!parent || !/^[0-9a-f]{64}$/.test(parent)) return null
  let settings: Record<string, unknown> = {}
  try {
    const parsed: unknown = JSON.parse(m[`${PREFIX}settings`] ?? '{}')
    if (parsed && typeof parsed === 'object') settings = parsed as Record<string, unknown>
  } catch {
    // A hand-edited value: the rest of the lineage still stands.
  }
  return {
    parentSha256: parent,
    parentRef: m[`${PREFIX}parent`] ?? '',
    method: m[`${PREFIX}method`] ?? '',
    calibrationSha256: m[`${PREFIX}calibration_sha256`] || null,
    settings,
    createdAt: record.importedAt
  }
}
