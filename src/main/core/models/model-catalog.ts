// The port through which the model store keeps its metadata. Core defines it; the SQLite
// implementation lives in src/main/store/models-repo.ts, tests may use an in-memory one.
import type { ModelSummary } from './model-summary'

export interface ModelRecord {
  /** Hex sha256 of the file: its identity and its name in the store (`<sha256>.onnx`). */
  sha256: string
  name: string
  version: string
  notes: string
  /** The file name it was imported from, for the technician's reference. */
  sourceFileName: string
  sizeBytes: number
  /** Milliseconds since the epoch, like every timestamp in the history database. */
  importedAt: number
  summary: ModelSummary
}

export interface ModelCatalog {
  /** Returns false when a record with this sha256 is already there (nothing changes). Throws
   *  ModelVersionExistsError when another file already holds this name and version. */
  add(record: ModelRecord): boolean
  /** Newest first. */
  list(): ModelRecord[]
  get(sha256: string): ModelRecord | undefined
  /** Returns false when there was nothing to remove. */
  remove(sha256: string): boolean
}
