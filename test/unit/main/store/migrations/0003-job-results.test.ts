import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../../../src/main/store/migrate'
import { migrations } from '../../../../../src/main/store/migrations'

describe('migration 0003-job-results', () => {
  it('adds a result column to jobs that already exist, empty for them', () => {
    const db = new Database(':memory:')
    migrate(db, migrations.slice(0, 2))
    db.prepare("INSERT INTO jobs (id, kind, title, state, created_at) VALUES ('old', 'k', 't', 'succeeded', 0)").run()
    migrate(db, migrations.slice(0, 3))
    expect(db.prepare("SELECT result FROM jobs WHERE id = 'old'").get()).toEqual({ result: null })
    db.prepare(`UPDATE jobs SET result = '{"accuracy":0.97}' WHERE id = 'old'`).run()
    expect(JSON.parse((db.prepare("SELECT result FROM jobs WHERE id = 'old'").get() as { result: string }).result)).toEqual({ accuracy: 0.97 })
  })
})
