import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../../../src/main/store/migrate'
import m0001 from '../../../../../src/main/store/migrations/0001-initial'
import m0002 from '../../../../../src/main/store/migrations/0002-models'

describe('migration 0002-models', () => {
  it('upgrades a version-1 database that already holds devices, keeping them', () => {
    const db = new Database(':memory:')
    migrate(db, [m0001])
    db.prepare("INSERT INTO devices (id, name, host, created_at) VALUES ('d', 'door-1', '127.0.0.1', 0)").run()
    expect(migrate(db, [m0001, m0002])).toEqual({ from: 1, to: 2 })
    expect(db.prepare('SELECT name FROM devices').all()).toEqual([{ name: 'door-1' }])
  })

  it('keeps one file per sha256 and one file per name and version', () => {
    const db = new Database(':memory:')
    migrate(db, [m0001, m0002])
    const add = db.prepare(`INSERT INTO models (sha256, name, version, source_file_name, size_bytes, precision, summary_json, imported_at)
      VALUES (?, ?, ?, 'f.onnx', 10, 'fp32', '{}', 0)`)
    add.run('a'.repeat(64), 'digits', '1')
    expect(() => add.run('a'.repeat(64), 'digits', '2')).toThrow(/UNIQUE|PRIMARY/)
    expect(() => add.run('b'.repeat(64), 'digits', '1')).toThrow(/UNIQUE/)
    expect(() => add.run('short', 'digits', '3')).toThrow(/CHECK/)
    add.run('b'.repeat(64), 'digits', '2')
  })
})
