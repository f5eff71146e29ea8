// The desktop model library: a content-addressed store of ONNX files in `<dataDir>/models`, named by
// sha256, with metadata in a ModelCatalog. A file is parsed and checked before anything is written,
// so a malformed, truncated or external-data model leaves no file and no record behind.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { basename, extname, join } from 'node:path'
import { sweepPartialFiles, writeFileAtomic } from './atomic-write'
import {
  ModelExternalDataError,
  ModelFileUnreadableError,
  ModelNotFoundError,
  ModelStoreWriteFailedError,
  ModelVersionExistsError
} from './errors'
import type { ModelCatalog, ModelRecord } from './model-catalog'
import { parseOnnx } from './onnx-parse'

export interface ImportOptions {
  /** Defaults to the file name without ".onnx". */
  name?: string
  /** Defaults to one more than the highest numeric version already stored under this name. */
  version?: string
  notes?: string
}

export interface ImportResult {
  record: ModelRecord
  /** True when the same bytes were already in the library: the existing record is returned as is. */
  alreadyPresent: boolean
}

export interface ModelStoreOptions {
  dataDir: string
  catalog: ModelCatalog
  now?: () => number
}

export class ModelStore {
  readonly modelsDir: string
  private readonly catalog: ModelCatalog
  private readonly now: () => number

  constructor(options: ModelStoreOptions) {
    this.modelsDir = join(options.dataDir, 'models')
    this.catalog = options.catalog
    this.now = options.now ?? Date.now
  }

  /** Call once at start-up: removes temporary files of imports a crash interrupted. */
  async recover(): Promise<string[]> {
    return sweepPartialFiles(this.modelsDir)
  }

  async import(path: string, options: ImportOptions = {}): Promise<ImportResult> {
    const sourceFileName = basename(path)
    // One read serves hashing, parsing and writing; parsing keeps weights as views into this buffer.
    let bytes: Buffer
    try {
      bytes = await readFile(path)
    } catch (err) {
      throw new ModelFileUnreadableError(sourceFileName, err)
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const summary = parseOnnx(bytes, sourceFileName)
    const external = summary.externalDataTensors[0]
    if (external !== undefined) throw new ModelExternalDataError(sourceFileName, external)

    const existing = this.catalog.get(sha256)
    if (existing) return { record: existing, alreadyPresent: true }

    const name = options.name?.trim() || basename(sourceFileName, extname(sourceFileName))
    const version = options.version?.trim() || this.nextVersion(name)
    if (this.catalog.list().some((r) => r.name === name && r.version === version)) {
      throw new ModelVersionExistsError(name, version)
    }

    const target = this.filePath(sha256)
    try {
      await mkdir(this.modelsDir, { recursive: true })
      await writeFileAtomic(target, bytes)
    } catch (err) {
      throw new ModelStoreWriteFailedError(this.modelsDir, err)
    }

    const record: ModelRecord = {
      sha256,
      name,
      version,
      notes: options.notes ?? '',
      sourceFileName,
      sizeBytes: bytes.length,
      importedAt: this.now(),
      summary
    }
    try {
      if (this.catalog.add(record)) return { record, alreadyPresent: false }
    } catch (err) {
      await this.removeFileUnlessCatalogued(sha256)
      throw err
    }
    // Another import of the same bytes won the race; its record stands and the file is the same.
    return { record: this.catalog.get(sha256) ?? record, alreadyPresent: true }
  }

  list(): ModelRecord[] {
    return this.catalog.list()
  }

  /** Finds a model by full sha256, a unique sha256 prefix (at least 8 characters) or "name@version". */
  get(ref: string): ModelRecord {
    const exact = this.catalog.get(ref)
    if (exact) return exact
    const all = this.catalog.list()
    const at = ref.lastIndexOf('@')
    if (at > 0) {
      const byName = all.find((r) => r.name === ref.slice(0, at) && r.version === ref.slice(at + 1))
      if (byName) return byName
    }
    if (/^[0-9a-f]{8,63}$/.test(ref)) {
      const matches = all.filter((r) => r.sha256.startsWith(ref))
      if (matches.length === 1 && matches[0]) return matches[0]
    }
    throw new ModelNotFoundError(ref)
  }

  filePath(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new ModelNotFoundError(sha256)
    return join(this.modelsDir, `${sha256}.onnx`)
  }

  /** The library's file with this content, or null when the library does not hold it (any more). */
  fileIfPresent(sha256: string): string | null {
    if (!/^[0-9a-f]{64}$/.test(sha256) || !this.catalog.get(sha256)) return null
    const file = this.filePath(sha256)
    return existsSync(file) ? file : null
  }

  /** The record goes first: a file without a record is harmless, a record without its file is not. */
  async remove(ref: string): Promise<ModelRecord> {
    const record = this.get(ref)
    this.catalog.remove(record.sha256)
    await rm(this.filePath(record.sha256), { force: true })
    return record
  }

  private nextVersion(name: string): string {
    const numbers = this.catalog
      .list()
      .filter((r) => r.name === name && /^\d+$/.test(r.version))
      .map((r) => Number(r.version))
    return String(numbers.length === 0 ? 1 : Math.max(...numbers) + 1)
  }

  private async removeFileUnlessCatalogued(sha256: string): Promise<void> {
    if (!this.catalog.get(sha256)) await rm(this.filePath(sha256), { force: true })
  }
}
