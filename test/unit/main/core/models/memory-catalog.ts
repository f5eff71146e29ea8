// An in-memory ModelCatalog with the same contract as the SQLite one, for store tests.
import { ModelVersionExistsError } from '../../../../../src/main/core/models/errors'
import type { ModelCatalog, ModelRecord } from '../../../../../src/main/core/models/model-catalog'

export function memoryCatalog(): ModelCatalog & { failNextAdd?: Error } {
  const records = new Map<string, ModelRecord>()
  const catalog: ModelCatalog & { failNextAdd?: Error } = {
    add(record) {
      if (catalog.failNextAdd) {
        const err = catalog.failNextAdd
        delete catalog.failNextAdd
        throw err
      }
      if (records.has(record.sha256)) return false
      for (const r of records.values()) {
        if (r.name === record.name && r.version === record.version) throw new ModelVersionExistsError(r.name, r.version)
      }
      records.set(record.sha256, structuredClone(record))
      return true
    },
    list: () => [...records.values()].sort((a, b) => b.importedAt - a.importedAt),
    get: (sha256) => records.get(sha256),
    remove: (sha256) => records.delete(sha256)
  }
  return catalog
}
