import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../../../src/main/store/migrate'
import m0001 from '../../../../../src/main/store/migrations/0001-initial'

describe('migration 0001-initial', () => {
  const fresh = () => {
    const db = new Database(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(db, [m0001])
    return db
  }

  it('creates the devices, host keys, jobs, steps, log, settings and history tables', () => {
    const tables = (fresh().prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name)
    expect(tables).toEqual(expect.arrayContaining(['devices', 'host_keys', 'jobs', 'job_steps', 'job_log', 'settings', 'history']))
  })

  it('keeps one record per address, per name and per MAC', () => {
    const db = fresh()
    const add = db.prepare('INSERT INTO devices (id, name, host, port, mac, created_at) VALUES (?, ?, ?, ?, ?, 0)')
    add.run('a', 'door-1', '10.0.0.5', 22, 'dc:a6:32:00:00:01')
    expect(() => add.run('b', 'door-1', '10.0.0.6', 22, null)).toThrow(/UNIQUE/)
    expect(() => add.run('c', 'door-2', '10.0.0.5', 22, null)).toThrow(/UNIQUE/)
    expect(() => add.run('d', 'door-3', '10.0.0.7', 22, 'dc:a6:32:00:00:01')).toThrow(/UNIQUE/)
    add.run('e', 'door-4', '10.0.0.8', 22, null)
    add.run('f', 'door-5', '10.0.0.9', 22, null)
  })

  it('deletes a job’s steps and log with the job, and rejects unknown job states', () => {
    const db = fresh()
    db.prepare("INSERT INTO jobs (id, kind, title, state, created_at) VALUES ('j', 'k', 't', 'running', 0)").run()
    db.prepare("INSERT INTO job_steps (job_id, idx, name, state, started_at) VALUES ('j', 0, 's', 'running', 0)").run()
    db.prepare("INSERT INTO job_log (job_id, seq, ts, level, text) VALUES ('j', 0, 0, 'info', 'x')").run()
    expect(() => db.prepare("INSERT INTO jobs (id, kind, title, state, created_at) VALUES ('k', 'k', 't', 'exploded', 0)").run()).toThrow(/CHECK/)
    db.prepare("DELETE FROM jobs WHERE id = 'j'").run()
    expect(db.prepare('SELECT count(*) AS n FROM job_log').get()).toEqual({ n: 0 })
    expect(db.prepare('SELECT count(*) AS n FROM job_steps').get()).toEqual({ n: 0 })
  })
})
