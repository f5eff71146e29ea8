// The model library's catalog (the ModelCatalog port of core/models) over better-sqlite3.
import type Database from 'better-sqlite3'
import { ModelVersionExistsError } from '../core/models/errors'
import type { ModelCatalog, ModelRecord } from '../core/models/model-catalog'
import type { ModelSummary } from '../core/models/model-summary'

interface Row {
  sha256: string
  name: string
  version: string
  notes: string
  source_file_name: string
  size_bytes: number
  precision: string
  summary_json: string
  imported_at: number
}

const toRecord = (r: Row): ModelRecord => ({
  sha256: r.sha256,
  name: r.name,
  version: r.version,
  notes: r.notes,
  sourceFileName: r.source_file_name,
  sizeBytes: r.size_bytes,
  importedAt: r.imported_at,
  summary: JSON.parse(r.summary_json) as ModelSummary
})

export function createModelsRepo(db: Database.Database): ModelCatalog {
  // ON CONFLICT names only sha256: the same bytes twice is a no-op, a taken name+version still fails.
  const insert = db.prepare(`INSERT INTO models (sha256, name, version, notes, source_file_name, size_bytes,
    precision, summary_json, imported_at) VALUES (@sha256, @name, @version, @notes, @sourceFileName, @sizeBytes,
    @precision, @summaryJson, @importedAt) ON CONFLICT (sha256) DO NOTHING`)
  const selectAll = db.prepare('SELECT * FROM models ORDER BY imported_at DESC, name, version')
  const selectOne = db.prepare('SELECT * FROM models WHERE sha256 = ?')
  const deleteOne = db.prepare('DELETE FROM models WHERE sha256 = ?')

  return {
    add(record) {
      try {
        const result = insert.run({
          sha256: record.sha256,
          name: record.name,
          version: record.version,
          notes: record.notes,
          sourceFileName: record.sourceFileName,
          sizeBytes: record.sizeBytes,
          precision: record.summary.precision,
          summaryJson: JSON.stringify(record.summary),
          importedAt: record.importedAt
        })
        return result.changes === 1
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
          throw new ModelVersionExistsError(record.name, record.version)
        }
        throw err
      }
    },
    list: () => (selectAll.all() as Row[]).map(toRecord),
    get(sha256) {
      const row = selectOne.get(sha256) as Row | undefined
      return row ? toRecord(row) : undefined
    },
    remove: (sha256) => deleteOne.run(sha256).changes === 1
  }
}
