// Log lines from units: batched inserts that move the stream's cursor in the same transaction,
// filtered queries with keyset pagination, retention in small chunks, and an export iterator.
// Ingest uses its own connection (see core/logs/log-ingest.ts); WAL lets readers on the UI's
// connection go on while a batch commits.
import type Database from 'better-sqlite3'
import { StreamMovedError } from '../core/logs/stream-moved-error'

export type LogKind = 'line' | 'gap' | 'dropped'

export interface LogLineInput {
  kind?: LogKind
  unit: string | null
  priority: number | null
  /** The unit's realtime clock, in microseconds since the epoch. */
  timeUs: number | null
  message: string
  cursor: string | null
  bootId: string | null
  jobId?: string | null
}

export interface LogLine {
  id: number
  deviceId: string
  kind: LogKind
  unit: string | null
  priority: number | null
  timeUs: number | null
  receivedAt: number
  message: string
  jobId: string | null
  bootId: string | null
  cursor: string | null
}

/** One stream of one unit: `selector` names what it follows (`all`, `unit:ssh.service`, `kernel`, `file:/var/log/x`). */
export interface LogStreamKey {
  deviceId: string
  selector: string
}

export interface LogFilter {
  deviceId?: string
  unit?: string
  /** syslog priority: 0 emerg ... 7 debug; lines at this level or more severe. */
  maxPriority?: number
  sinceUs?: number
  untilUs?: number
  /** Words that must all appear (full-text match). */
  text?: string
  jobId?: string
  kinds?: readonly LogKind[]
}

/** `afterId` reads forward (oldest first); `beforeId` reads back (newest first). */
export interface LogPage {
  afterId?: number
  beforeId?: number
  limit?: number
}

export interface RetentionPolicy {
  /** Lines received before this (ms since the epoch) go. */
  olderThan?: number
  /** Oldest lines go while the database holds more than this many bytes of live pages. */
  maxBytes?: number
}

interface Row {
  id: number
  device_id: string
  kind: LogKind
  unit: string | null
  priority: number | null
  time_us: number | null
  received_at: number
  message: string
  job_id: string | null
  boot_id: string | null
  cursor: string | null
}

const toLine = (r: Row): LogLine => ({
  id: r.id,
  deviceId: r.device_id,
  kind: r.kind,
  unit: r.unit,
  priority: r.priority,
  timeUs: r.time_us,
  receivedAt: r.received_at,
  message: r.message,
  jobId: r.job_id,
  bootId: r.boot_id,
  cursor: r.cursor
})

/**
 * User text as an FTS5 query: every word quoted (so `-`, `:`, `*`, `AND` are plain text, never query
 * syntax), all required. Empty when there is no word.
 */
export function ftsQuery(text: string): string {
  return text
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .map((w) => `"${w.replaceAll('"', '""')}"`)
    .join(' ')
}

function where(f: LogFilter): { sql: string; params: unknown[] } {
  const parts: string[] = []
  const params: unknown[] = []
  const add = (sql: string, ...p: unknown[]) => {
    parts.push(sql)
    params.push(...p)
  }
  if (f.deviceId !== undefined) add('device_id = ?', f.deviceId)
  if (f.unit !== undefined) add('unit = ?', f.unit)
  // Gap and drop markers have no priority; a reader filtering by level still needs to see them.
  if (f.maxPriority !== undefined) add("(priority <= ? OR kind != 'line')", f.maxPriority)
  if (f.sinceUs !== undefined) add('time_us >= ?', f.sinceUs)
  if (f.untilUs !== undefined) add('time_us < ?', f.untilUs)
  if (f.jobId !== undefined) add('job_id = ?', f.jobId)
  if (f.kinds !== undefined && f.kinds.length > 0) add(`kind IN (${f.kinds.map(() => '?').join(', ')})`, ...f.kinds)
  if (f.text !== undefined) {
    const q = ftsQuery(f.text)
    if (q) add('id IN (SELECT rowid FROM log_lines_fts WHERE log_lines_fts MATCH ?)', q)
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params }
}

const MAX_PAGE = 1000
const PRUNE_CHUNK = 2000
const ROWS_PER_INSERT = 50

export function createLogsRepo(db: Database.Database) {
  const selectStream = db.prepare('SELECT id, cursor FROM log_streams WHERE device_id = ? AND selector = ?')
  const insertStream = db.prepare('INSERT INTO log_streams (device_id, selector, cursor, updated_at) VALUES (?, ?, NULL, ?) RETURNING id')
  const setCursor = db.prepare('UPDATE log_streams SET cursor = ?, updated_at = ? WHERE id = ?')
  // Rows go in groups of ROWS_PER_INSERT per statement: each call into SQLite has a fixed cost that
  // one row per statement pays 50 times over (1.45x the rate, see test/bench/logs-ingest.ts).
  const inserts = new Map<number, Database.Statement>()
  const insertRows = (n: number): Database.Statement => {
    let st = inserts.get(n)
    if (!st) {
      const values = Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')
      st = db.prepare(`INSERT INTO log_lines
        (stream_id, device_id, kind, unit, priority, time_us, received_at, message, job_id, boot_id, cursor) VALUES ${values}`)
      inserts.set(n, st)
    }
    return st
  }
  const firstNewId = db.prepare('SELECT COALESCE(MAX(id), 0) + 1 AS id FROM log_lines').pluck()
  const indexFrom = db.prepare('INSERT INTO log_lines_fts(rowid, message) SELECT id, message FROM log_lines WHERE id >= ?')
  const pruneOlder = db.prepare('DELETE FROM log_lines WHERE id IN (SELECT id FROM log_lines WHERE received_at < ? ORDER BY received_at LIMIT ?)')
  const pruneOldest = db.prepare('DELETE FROM log_lines WHERE id IN (SELECT id FROM log_lines ORDER BY id LIMIT ?)')

  /** The stream's row (made on first use) with its stored cursor, read inside the batch's transaction. */
  const streamRow = (key: LogStreamKey, now: number): { id: number; cursor: string | null } => {
    const row = selectStream.get(key.deviceId, key.selector) as { id: number; cursor: string | null } | undefined
    return row ?? { id: (insertStream.get(key.deviceId, key.selector, now) as { id: number }).id, cursor: null }
  }

  const append = db.transaction((key: LogStreamKey, lines: readonly LogLineInput[], cursor: string | null, now: number, expected: string | null | undefined) => {
    const { id, cursor: stored } = streamRow(key, now)
    if (expected !== undefined && stored !== expected) throw new StreamMovedError(key)
    // The batch's rows take the next ids: this transaction holds the write lock.
    const first = firstNewId.get() as number
    for (let i = 0; i < lines.length; i += ROWS_PER_INSERT) {
      const group = lines.slice(i, i + ROWS_PER_INSERT)
      const params: unknown[] = []
      for (const l of group) params.push(id, key.deviceId, l.kind ?? 'line', l.unit, l.priority, l.timeUs, now, l.message, l.jobId ?? null, l.bootId, l.cursor)
      insertRows(group.length).run(...params)
    }
    if (lines.length > 0) indexFrom.run(first)
    if (cursor !== null) setCursor.run(cursor, now, id)
    return lines.length
  })

  const liveBytes = (): number => {
    const pages = db.pragma('page_count', { simple: true }) as number
    const free = db.pragma('freelist_count', { simple: true }) as number
    const size = db.pragma('page_size', { simple: true }) as number
    return (pages - free) * size
  }

  const pruneStep = (policy: RetentionPolicy, chunk = PRUNE_CHUNK): number => {
    if (policy.olderThan !== undefined) {
      const n = pruneOlder.run(policy.olderThan, chunk).changes
      if (n > 0) return n
    }
    if (policy.maxBytes !== undefined && liveBytes() > policy.maxBytes) return pruneOldest.run(chunk).changes
    return 0
  }

  return {
    /** The cursor of the last line stored for this stream; null when it never stored one. */
    streamCursor(key: LogStreamKey): string | null {
      const row = selectStream.get(key.deviceId, key.selector) as { cursor: string | null } | undefined
      return row?.cursor ?? null
    },

    /**
     * Stores lines and the stream's new cursor in one transaction: after a crash either both are
     * there or neither, so a restarted stream resumes exactly after the last stored line.
     * A null cursor leaves the stored one as it is (markers, files without cursors).
     * With `expected`, nothing is written unless the stored cursor is still that one: a second
     * process following the same stream (the app and `edgedock logs --follow`) then finds its
     * batch refused (StreamMovedError) instead of storing the lines the first one stored.
     */
    appendBatch(key: LogStreamKey, lines: readonly LogLineInput[], cursor: string | null, now = Date.now(), expected?: string | null): number {
      // IMMEDIATE: take the write lock first, so a busy database waits here rather than failing at commit.
      return append.immediate(key, lines, cursor, now, expected)
    },

    query(filter: LogFilter = {}, page: LogPage = {}): LogLine[] {
      const w = where(filter)
      const limit = Math.min(Math.max(1, page.limit ?? 200), MAX_PAGE)
      const back = page.beforeId !== undefined
      const key = back ? 'id < ?' : 'id > ?'
      const rows = db
        .prepare(`SELECT * FROM log_lines WHERE ${w.sql} AND ${key} ORDER BY id ${back ? 'DESC' : 'ASC'} LIMIT ?`)
        .all(...w.params, back ? page.beforeId : (page.afterId ?? 0), limit) as Row[]
      return rows.map(toLine)
    },

    count(filter: LogFilter = {}): number {
      const w = where(filter)
      return (db.prepare(`SELECT COUNT(*) AS n FROM log_lines WHERE ${w.sql}`).get(...w.params) as { n: number }).n
    },

    /** Every matching line, oldest first, read a page at a time so no statement stays open across yields. */
    *exportLines(filter: LogFilter = {}, pageSize = MAX_PAGE): Generator<LogLine> {
      let afterId = 0
      for (;;) {
        const page = this.query(filter, { afterId, limit: pageSize })
        yield* page
        const last = page.at(-1)
        if (!last || page.length < pageSize) return
        afterId = last.id
      }
    },

    /** One chunk of retention: at most `chunk` lines in one short transaction. Returns how many went. */
    pruneStep,

    /**
     * Retention until the policy holds, a chunk per turn of the event loop, so other writers (jobs,
     * other processes) get the lock between chunks. Returns the lines deleted.
     */
    async prune(policy: RetentionPolicy, chunk = PRUNE_CHUNK): Promise<number> {
      let total = 0
      for (;;) {
        const n = pruneStep(policy, chunk)
        total += n
        if (n === 0) return total
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
  }
}
export type LogsRepo = ReturnType<typeof createLogsRepo>
/** What a log stream needs from the store. */
export type LogSink = Pick<LogsRepo, 'streamCursor' | 'appendBatch'>
