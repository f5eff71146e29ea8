import { afterEach, describe, expect, it } from 'vitest'
import type Database from 'better-sqlite3'
import { createLogsRepo, ftsQuery, type LogLineInput } from '../../../../src/main/store/logs-repo'
import { openLogsDb } from '../core/logs/log-db'

const dbs: Database.Database[] = []
afterEach(() => dbs.splice(0).forEach((d) => d.close()))

function repo() {
  const db = openLogsDb()
  dbs.push(db)
  return { db, logs: createLogsRepo(db) }
}

const line = (n: number, over: Partial<LogLineInput> = {}): LogLineInput => ({
  unit: n % 2 ? 'edgedock-inference.service' : 'ssh.service',
  priority: n % 8,
  timeUs: 1_000_000 * n,
  message: `line ${n} ${n % 3 === 0 ? 'camera timeout' : 'frame ok'}`,
  cursor: `s=x;i=${n.toString(16)}`,
  bootId: 'b',
  ...over
})
const key = { deviceId: 'd1', selector: 'all' }
const nums = (rows: { message: string }[]) => rows.map((r) => Number(r.message.split(' ')[1]))

describe('logs repo', () => {
  it('stores a batch and the stream cursor together, and neither when the batch fails', () => {
    const { logs } = repo()
    logs.appendBatch(key, [line(1), line(2)], 's=x;i=2')
    expect(logs.streamCursor(key)).toBe('s=x;i=2')
    const bad = { ...line(3), message: null as unknown as string }
    expect(() => logs.appendBatch(key, [line(3), bad], 's=x;i=4')).toThrow()
    expect(logs.count()).toBe(2)
    expect(logs.streamCursor(key)).toBe('s=x;i=2')
    logs.appendBatch(key, [{ ...line(0), kind: 'gap', cursor: null }], null)
    expect(logs.streamCursor(key)).toBe('s=x;i=2')
    expect(logs.streamCursor({ deviceId: 'd2', selector: 'all' })).toBeNull()
  })

  it('filters by device, unit, priority, time, job and kind', () => {
    const { logs } = repo()
    logs.appendBatch(key, Array.from({ length: 40 }, (_, i) => line(i + 1, { jobId: i < 5 ? 'job-1' : null })), 'c')
    logs.appendBatch({ deviceId: 'd2', selector: 'all' }, [line(100)], 'c2')
    logs.appendBatch(key, [{ ...line(0), kind: 'gap', unit: null, priority: null, cursor: null, message: 'gap here' }], null)
    expect(logs.count({ deviceId: 'd2' })).toBe(1)
    expect(logs.count({ deviceId: 'd1', unit: 'ssh.service' })).toBe(20)
    // priority <= 2: n % 8 in {0,1,2} over 1..40 is 15 lines, plus the gap marker that has no level.
    expect(logs.count({ deviceId: 'd1', maxPriority: 2 })).toBe(16)
    expect(nums(logs.query({ sinceUs: 10_000_000, untilUs: 13_000_000 }))).toEqual([10, 11, 12])
    expect(logs.count({ jobId: 'job-1' })).toBe(5)
    expect(logs.query({ kinds: ['gap'] }).map((l) => l.message)).toEqual(['gap here'])
  })

  it('finds words with the full-text index, taking user text literally', () => {
    const { logs } = repo()
    logs.appendBatch(key, Array.from({ length: 30 }, (_, i) => line(i + 1)), 'c')
    logs.appendBatch(key, [line(31, { message: 'error: model "resnet18" AND-or NEAR(x) failed' })], 'c')
    expect(logs.count({ text: 'camera timeout' })).toBe(10)
    expect(logs.count({ text: 'CAMERA' })).toBe(10)
    expect(logs.count({ text: 'camera', unit: 'ssh.service' })).toBe(5)
    expect(logs.query({ text: '"resnet18" AND-or NEAR(x)' }).map((l) => l.cursor)).toEqual(['s=x;i=1f'])
    expect(logs.count({ text: '   ' })).toBe(31)
    expect(ftsQuery('a "b')).toBe('"a" """b"')
  })

  it('pages by id forward and back', () => {
    const { logs } = repo()
    logs.appendBatch(key, Array.from({ length: 25 }, (_, i) => line(i + 1)), 'c')
    const first = logs.query({}, { limit: 10 })
    const second = logs.query({}, { afterId: first.at(-1)?.id ?? 0, limit: 10 })
    expect(nums(first)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(nums(second)[0]).toBe(11)
    expect(nums(logs.query({}, { beforeId: second[0]?.id ?? 0, limit: 3 }))).toEqual([10, 9, 8])
  })

  it('exports every matching line in order, a page at a time', () => {
    const { logs } = repo()
    logs.appendBatch(key, Array.from({ length: 53 }, (_, i) => line(i + 1)), 'c')
    expect(nums([...logs.exportLines({ unit: 'ssh.service' }, 7)])).toEqual(Array.from({ length: 26 }, (_, i) => 2 * (i + 1)))
  })

  it('deletes by age, oldest first, in chunks, and the index forgets deleted lines', async () => {
    const { logs } = repo()
    logs.appendBatch(key, Array.from({ length: 100 }, (_, i) => line(i + 1)), 'c', 1000)
    logs.appendBatch(key, Array.from({ length: 10 }, (_, i) => line(i + 101)), 'c', 5000)
    expect(logs.pruneStep({ olderThan: 2000 }, 30)).toBe(30)
    expect(nums(logs.query({}, { limit: 1 }))).toEqual([31])
    expect(await logs.prune({ olderThan: 2000 }, 30)).toBe(70)
    expect(logs.count()).toBe(10)
    expect(logs.count({ text: 'camera' })).toBe(logs.query({}, { limit: 100 }).filter((l) => l.message.includes('camera')).length)
    expect(logs.pruneStep({ olderThan: 2000 })).toBe(0)
  })

  it('deletes the oldest lines while the database is over its size', async () => {
    const { db, logs } = repo()
    const big = 'x'.repeat(2000)
    for (let b = 0; b < 20; b++) logs.appendBatch(key, Array.from({ length: 50 }, (_, i) => line(b * 50 + i + 1, { message: `line ${b * 50 + i + 1} ${big}` })), 'c')
    const live = () => ((db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number)) * (db.pragma('page_size', { simple: true }) as number)
    const limit = Math.floor(live() / 2)
    const deleted = await logs.prune({ maxBytes: limit }, 100)
    expect(deleted).toBeGreaterThan(0)
    expect(deleted % 100).toBe(0)
    expect(live()).toBeLessThanOrEqual(limit)
    expect(nums(logs.query({}, { limit: 1 }))).toEqual([deleted + 1])
  })
})
