// The model library as the app, the station and the CLI see it (`edgedock models
// import|list|inspect|compare|remove`): the store, the parser and the runtime put together.
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { compareModels, type CompareOptions, type CompareReport } from './compare-models'
import { ModelError, ModelFileUnreadableError } from './errors'
import type { InferenceEngine } from './inference-engine'
import type { ModelCatalog, ModelRecord } from './model-catalog'
import { ModelStore, type ImportOptions, type ImportResult } from './model-store'
import { precisionLabels, type ModelSummary } from './model-summary'
import { parseOnnx } from './onnx-parse'
import { inspectWithRuntime, type RuntimeInspection } from './runtime-inspect'
import { loadSampleSet, type SampleSet } from './sample-set'

/** Whether ONNX Runtime on this computer loads the model; a failure is part of the answer, not a throw. */
export type RuntimeVerdict =
  | ({ ok: true } & RuntimeInspection)
  | { ok: false; code: ModelError['code']; message: string; detail: string }

export interface Inspection {
  /** Present when the model is in the library. */
  record: ModelRecord | null
  summary: ModelSummary
  runtime: RuntimeVerdict
}

export interface ModelLibraryConfig {
  dataDir: string
  catalog: ModelCatalog
  engine: InferenceEngine
  now?: () => number
}

export class ModelLibrary {
  readonly store: ModelStore
  private readonly engine: InferenceEngine

  constructor(config: ModelLibraryConfig) {
    this.store = new ModelStore({ dataDir: config.dataDir, catalog: config.catalog, now: config.now })
    this.engine = config.engine
  }

  /** Call once at start-up. */
  recover(): Promise<string[]> {
    return this.store.recover()
  }

  import(path: string, options?: ImportOptions): Promise<ImportResult> {
    return this.store.import(path, options)
  }

  list(): ModelRecord[] {
    return this.store.list()
  }

  remove(ref: string): Promise<ModelRecord> {
    return this.store.remove(ref)
  }

  /** A stored model by sha256, sha256 prefix or name@version. */
  async inspect(ref: string): Promise<Inspection> {
    const record = this.store.get(ref)
    const runtime = await this.runtimeVerdict(this.store.filePath(record.sha256), labelOf(record))
    return { record, summary: record.summary, runtime }
  }

  /** A file that is not (yet) in the library: the preview before an import. Stores nothing. */
  async inspectFile(path: string): Promise<Inspection> {
    let bytes: Buffer
    try {
      bytes = await readFile(path)
    } catch (err) {
      throw new ModelFileUnreadableError(basename(path), err)
    }
    const summary = parseOnnx(bytes, basename(path))
    return { record: null, summary, runtime: await this.runtimeVerdict(path, basename(path)) }
  }

  /** Two stored models over a sample set (parsed, or a path to its JSON file). */
  async compare(refA: string, refB: string, samples: SampleSet | string, options?: CompareOptions): Promise<CompareReport> {
    const a = this.store.get(refA)
    const b = this.store.get(refB)
    const set = typeof samples === 'string' ? await loadSampleSet(samples) : samples
    return compareModels(
      this.engine,
      { path: this.store.filePath(a.sha256), label: labelOf(a) },
      { path: this.store.filePath(b.sha256), label: labelOf(b) },
      set,
      options
    )
  }

  private async runtimeVerdict(path: string, label: string): Promise<RuntimeVerdict> {
    try {
      return { ok: true, ...(await inspectWithRuntime(this.engine, path, label)) }
    } catch (err) {
      if (err instanceof ModelError) return { ok: false, code: err.code, message: err.message, detail: err.detail }
      throw err
    }
  }
}

/** How a stored model is named in reports and errors: "digits@2 (INT8 QDQ)". */
export function labelOf(record: ModelRecord): string {
  return `${record.name}@${record.version} (${precisionLabels[record.summary.precision]})`
}
