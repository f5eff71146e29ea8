// Opens the history database: WAL so the CLI and a running app can share it, foreign keys on,
// migrations applied. Electron passes `nativeBinding` to load better-sqlite3 built for its ABI.
// A file this build cannot use (newer schema, not a database, damaged) is refused before anything
// writes to it, so the user can still hand it to the EdgeDock that made it.
import { existsSync, rmSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'
import { EdgeError } from '../../shared/errors'
import { checkCompatible, migrate } from './migrate'
import { migrations } from './migrations'

export interface OpenOptions {
  nativeBinding?: string
}

/** The CLI, a station and the app write to the same file; a writer waits this long for the lock. */
export const BUSY_TIMEOUT_MS = 5000

const UNREADABLE_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT'])

function connect(file: string, options: OpenOptions, readonly: boolean): Database.Database {
  // better-sqlite3 applies `timeout` as busy_timeout inside the constructor, before any statement runs.
  return new Database(file, {
    timeout: BUSY_TIMEOUT_MS,
    readonly,
    fileMustExist: readonly,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  })
}

function asEdgeError(file: string, err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code === 'string' && UNREADABLE_CODES.has(code)) {
    return new EdgeError('DB_NOT_A_DATABASE', file, { cause: err })
  }
  return err
}

function isEmptyFile(file: string): boolean {
  return existsSync(file) && statSync(file).size === 0
}

/**
 * Checks an existing file through a read-only connection, which cannot write to it. SQLite still
 * creates empty -wal/-shm files beside a WAL database; when the file is refused those are removed
 * again so the folder looks as it did.
 */
function checkBeforeWriting(file: string, options: OpenOptions): void {
  const wal = `${file}-wal`
  const shm = `${file}-shm`
  const ours = !existsSync(wal) && !existsSync(shm)
  let db: Database.Database | undefined
  try {
    db = connect(file, options, true)
    checkCompatible(db, migrations)
    db.close()
  } catch (err) {
    db?.close()
    if (ours && (!existsSync(wal) || isEmptyFile(wal))) {
      rmSync(wal, { force: true })
      rmSync(shm, { force: true })
    }
    throw asEdgeError(file, err)
  }
}

export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  const onDisk = file !== ':memory:' && existsSync(file) && statSync(file).size > 0
  if (onDisk) checkBeforeWriting(file, options)
  const db = connect(file, options, false)
  try {
    db.pragma('foreign_keys = ON')
    // Checked again on this connection: another process may have upgraded the file in between.
    checkCompatible(db, migrations)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    migrate(db, migrations)
    return db
  } catch (err) {
    db.close()
    throw asEdgeError(file, err)
  }
}
