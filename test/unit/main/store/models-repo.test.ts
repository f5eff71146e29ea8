import Database from 'better-sqlite3'
import { beforeEach, describe, expect, it } from 'vitest'
import type { ModelCatalog, ModelRecord } from '../../../../src/main/core/models/model-catalog'
import { parseOnnx } from '../../../../src/main/core/models/onnx-parse'
import migration from '../../../../src/main/store/migrations/0002-models'
import { createModelsRepo } from '../../../../src/main/store/models-repo'
import { fp32Classifier, qdqClassifier } from '../core/models/onnx-fixtures'

function record(overrides: Partial<ModelRecord>): ModelRecord {
  return {
    sha256: 'a'.repeat(64),
    name: 'digits',
    version: '1',
    notes: '',
    sourceFileName: 'digits.onnx',
    sizeBytes: 1234,
    importedAt: 1_700_000_000_000,
    summary: parseOnnx(fp32Classifier()),
    ...overrides
  }
}

let db: Database.Database
let repo: ModelCatalog

beforeEach(() => {
  db = new Database(':memory:')
  db.exec(migration.up)
  repo = createModelsRepo(db)
})

describe('models repo', () => {
  it('is migration 2, named models', () => {
    expect([migration.version, migration.name]).toEqual([2, 'models'])
  })

  it('round-trips a record with its summary', () => {
    const r = record({ notes: 'door unit, site A' })
    expect(repo.add(r)).toBe(true)
    expect(repo.get(r.sha256)).toEqual(r)
    expect(db.prepare('SELECT precision FROM models').pluck().get()).toBe('fp32')
  })

  it('lists newest first', () => {
    repo.add(record({ sha256: 'a'.repeat(64), version: '1', importedAt: 1 }))
    repo.add(record({ sha256: 'b'.repeat(64), version: '2', importedAt: 2, summary: parseOnnx(qdqClassifier()) }))
    expect(repo.list().map((r) => [r.version, r.summary.precision])).toEqual([
      ['2', 'int8-qdq'],
      ['1', 'fp32']
    ])
  })

  it('treats the same sha256 twice as already there', () => {
    repo.add(record({}))
    expect(repo.add(record({ name: 'other' }))).toBe(false)
    expect(repo.list()).toHaveLength(1)
  })

  it('refuses a second file under the same name and version with MODEL_VERSION_EXISTS', () => {
    repo.add(record({}))
    expect(() => repo.add(record({ sha256: 'b'.repeat(64) }))).toThrow(expect.objectContaining({ code: 'MODEL_VERSION_EXISTS' }))
  })

  it('rejects a sha256 that is not 64 characters', () => {
    expect(() => repo.add(record({ sha256: 'abc' }))).toThrow(/CHECK/)
  })

  it('removes by sha256', () => {
    repo.add(record({}))
    expect(repo.remove('a'.repeat(64))).toBe(true)
    expect(repo.remove('a'.repeat(64))).toBe(false)
    expect(repo.get('a'.repeat(64))).toBeUndefined()
  })
})
