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

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

function refuseIfNewer(current: number, latest: number): void {
  if (current <= latest) return
  throw new EdgeError('DB_FROM_FUTURE', String(current), {
    message:
      `This database was written by a newer EdgeDock (schema ${current}, this version knows ${latest}). ` +
      'Update EdgeDock, or point --data-dir at another folder. Nothing was changed.'
  })
}

/**
 * Reads only, so it is safe on a read-only connection and before anything has touched the file:
 * a database this build cannot understand must be refused while it is still exactly as it was.
 * Returns the schema version found.
 */
export function checkCompatible(db: Database.Database, migrations: readonly Migration[]): number {
  checkOrder(migrations)
  const current = userVersion(db)
  refuseIfNewer(current, migrations.length)
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get()
  if (!hasTable) return current
  const applied = db.prepare('SELECT version, sha256 FROM schema_migrations').all() as { version: number; sha256: string }[]
  for (const row of applied) {
    const m = migrations[row.version - 1]
    if (m && migrationHash(m) !== row.sha256) throw new EdgeError('DB_MIGRATION_CHANGED', `${m.version} ${m.name}`)
  }
  return current
}

export function migrate(db: Database.Database, migrations: readonly Migration[]): { from: number; to: number } {
  const latest = migrations.length
  const from = checkCompatible(db, migrations)
  for (const m of migrations.slice(from)) {
    // IMMEDIATE takes the write lock up front (waiting out busy_timeout) and the version is re-read
    // under it, so two processes opening a fresh database together apply each migration once.
    db.transaction(() => {
      const now = userVersion(db)
      refuseIfNewer(now, latest)
      if (now >= m.version) return
      db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at INTEGER NOT NULL)`)
      db.exec(m.up)
      db.prepare('INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)').run(
        m.version,
        m.name,
        migrationHash(m),
        Date.now()
      )
      db.pragma(`user_version = ${m.version}`)
    }).immediate()
  }
  return { from, to: latest }
}
