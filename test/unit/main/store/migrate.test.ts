import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { EdgeError } from '../../../../src/shared/errors'
import { migrate, type Migration } from '../../../../src/main/store/migrate'
import { migrations } from '../../../../src/main/store/migrations'

const m1: Migration = { version: 1, name: 'one', up: 'CREATE TABLE a (x INTEGER);' }
const m2: Migration = { version: 2, name: 'two', up: 'CREATE TABLE b (y INTEGER);' }

describe('migration runner', () => {
  it('applies pending migrations in order and records progress in user_version', () => {
    const db = new Database(':memory:')
    expect(migrate(db, [m1])).toEqual({ from: 0, to: 1 })
    expect(migrate(db, [m1, m2])).toEqual({ from: 1, to: 2 })
    expect(db.pragma('user_version', { simple: true })).toBe(2)
    expect(migrate(db, [m1, m2])).toEqual({ from: 2, to: 2 })
  })

  it('refuses a database written by a newer EdgeDock and leaves it untouched', () => {
    const db = new Database(':memory:')
    migrate(db, [m1, m2])
    const err = (() => {
      try {
        migrate(db, [m1])
      } catch (e) {
        return e
      }
    })()
    expect(err).toBeInstanceOf(EdgeError)
    expect((err as EdgeError).code).toBe('DB_FROM_FUTURE')
    expect(db.pragma('user_version', { simple: true })).toBe(2)
  })

  it('fails loudly when an applied migration was edited', () => {
    const db = new Database(':memory:')
    migrate(db, [m1])
    expect(() => migrate(db, [{ ...m1, up: 'CREATE TABLE a (x TEXT);' }])).toThrow(/does not match/)
  })

  it('rejects a list that is not numbered 1, 2, 3…', () => {
    expect(() => migrate(new Database(':memory:'), [m2])).toThrow(/out of order/)
  })

  it('rolls back a failing migration whole: no half-applied schema', () => {
    const db = new Database(':memory:')
    const bad: Migration = { version: 2, name: 'bad', up: 'CREATE TABLE c (z INTEGER); SELECT * FROM missing_table;' }
    expect(() => migrate(db, [m1, bad])).toThrow()
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'c'").get()).toBeUndefined()
  })

  it('ships migrations numbered from 1 with no gaps', () => {
    migrations.forEach((m, i) => expect(m.version).toBe(i + 1))
  })
})
