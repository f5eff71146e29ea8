// Strict migration runner (after Signal's and Bruno's): migrations are numbered files applied in
// ascending order, each in its own transaction; progress lives in `user_version`; the SQL of every
// applied migration is hashed so an edited old migration fails loudly instead of drifting.
import { createHash } from 'node:crypto'
import type Database from 'better-sqlite3'
import { EdgeError } from '../../shared/errors'

export interface Migration {
  version: number
  name: string
  up: string
}

export function migrationHash(m: Migration): string {
  return createHash('sha256').update(m.up).digest('hex')
}

export function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migration list out of order: position ${i + 1} holds version ${m.version} (${m.name})`)
    }
  })
}

export function migrate(db: Database.Database, migrations: readonly Migration[]): { from: number; to: number } {
  checkOrder(migrations)
  const latest = migrations.length
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > latest) throw new EdgeError('DB_FROM_FUTURE', `${current} > ${latest}`)

  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at INTEGER NOT NULL)`)
  const applied = db.prepare('SELECT version, sha256 FROM schema_migrations').all() as { version: number; sha256: string }[]
  for (const row of applied) {
    const m = migrations[row.version - 1]
    if (m && migrationHash(m) !== row.sha256) throw new EdgeError('DB_MIGRATION_CHANGED', `${m.version} ${m.name}`)
  }

  const record = db.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)')
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      db.exec(m.up)
      record.run(m.version, m.name, migrationHash(m), Date.now())
      db.pragma(`user_version = ${m.version}`)
    })()
  }
  return { from: current, to: latest }
}
