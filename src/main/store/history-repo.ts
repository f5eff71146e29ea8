// The history journal: what was done to which unit, when, and how it ended.
import type Database from 'better-sqlite3'
import type { HistoryEntry } from '../../shared/domain'

export type NewHistoryEntry = Omit<HistoryEntry, 'id' | 'ts'> & { ts?: number }

interface Row {
  id: number
  ts: number
  kind: string
  device_id: string | null
  device_name: string | null
  job_id: string | null
  summary: string
  outcome: HistoryEntry['outcome']
}

export interface HistoryQuery {
  deviceId?: string
  kind?: string
  limit: number
  beforeId?: number
}

export function createHistoryRepo(db: Database.Database) {
  const insert = db.prepare(`INSERT INTO history (ts, kind, device_id, device_name, job_id, summary, outcome)
    VALUES (@ts, @kind, @deviceId, @deviceName, @jobId, @summary, @outcome)`)
  return {
    add(e: NewHistoryEntry): number {
      return Number(insert.run({ ...e, ts: e.ts ?? Date.now() }).lastInsertRowid)
    },
    query(q: HistoryQuery): HistoryEntry[] {
      const where: string[] = []
      const args: Record<string, unknown> = { limit: q.limit }
      if (q.deviceId) {
        where.push('device_id = @deviceId')
        args.deviceId = q.deviceId
      }
      if (q.kind) {
        where.push('kind = @kind')
        args.kind = q.kind
      }
      if (q.beforeId !== undefined) {
        where.push('id < @beforeId')
        args.beforeId = q.beforeId
      }
      const sql = `SELECT * FROM history ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`
      return (db.prepare(sql).all(args) as Row[]).map((r) => ({
        id: r.id,
        ts: r.ts,
        kind: r.kind,
        deviceId: r.device_id,
        deviceName: r.device_name,
        jobId: r.job_id,
        summary: r.summary,
        outcome: r.outcome
      }))
    }
  }
}
export type HistoryRepo = ReturnType<typeof createHistoryRepo>
