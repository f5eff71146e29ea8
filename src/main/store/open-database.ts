// Opens the history database: WAL so the CLI and a running app can share it, foreign keys on,
// migrations applied. Electron passes `nativeBinding` to load better-sqlite3 built for its ABI.
import Database from 'better-sqlite3'
import { migrate } from './migrate'
import { migrations } from './migrations'

export interface OpenOptions {
  nativeBinding?: string
}

export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    db.pragma('synchronous = NORMAL')
    migrate(db, migrations)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}
