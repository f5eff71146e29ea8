import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import type Database from 'better-sqlite3'
import { JournalStream, type JournalStreamOptions } from '../../../../../src/main/core/logs/journal-stream'
import { journalCommand, tailCommand } from '../../../../../src/main/core/logs/journal-command'
import { createLogsRepo, type LogsRepo } from '../../../../../src/main/store/logs-repo'
import { entryJson, FakeJournal, seeded } from './fake-journal'
import { openLogsDb } from './log-db'

const open: Database.Database[] = []
const streams: JournalStream[] = []
afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.stop()))
  for (const db of open.splice(0)) db.close()
})

function setup(): { db: Database.Database; repo: LogsRepo } {
  const db = openLogsDb()
  open.push(db)
  return { db, repo: createLogsRepo(db) }
}

function stream(repo: LogsRepo, journal: FakeJournal, over: Partial<JournalStreamOptions> = {}): JournalStream {
  const s = new JournalStream({
    deviceId: 'd1',
    selector: { kind: 'unit', unit: 'edgedock-inference.service' },
    shell: journal,
    sink: repo,
    initialLines: 100_000,
    backoff: { minMs: 1, maxMs: 4 },
    ...over
  })
  streams.push(s)
  return s
}

/** Resolves once `check` holds after a stored batch (waits on the stream's events, not on time). */
function until(s: JournalStream, check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (check()) return resolve()
    const on = () => {
      if (!check()) return
      s.off('batch', on)
      resolve()
    }
    s.on('batch', on)
  })
}

const numbers = (db: Database.Database): number[] =>
  (db.prepare("SELECT message FROM log_lines WHERE kind = 'line' ORDER BY id").all() as { message: string }[]).map((r) => Number(/^line (\d+)/.exec(r.message)?.[1]))

describe('journal commands', () => {
  it('resumes at the stored entry and starts fresh with -n, quoted by the quoting module', () => {
    expect(journalCommand({ kind: 'unit', unit: 'ssh.service' }, { cursor: 's=a;i=1f;b=c', lines: 100 }).line).toBe(
      "journalctl -o json --all --no-pager --quiet --follow --cursor 's=a;i=1f;b=c' -u ssh.service"
    )
    expect(journalCommand({ kind: 'kernel' }, { cursor: null, lines: 50 }).line).toBe("journalctl -o json --all --no-pager --quiet --follow -n 50 '_TRANSPORT=kernel'")
    expect(journalCommand({ kind: 'all' }, { cursor: null, lines: 5 }).argv).toEqual(['journalctl', '-o', 'json', '--all', '--no-pager', '--quiet', '--follow', '-n', '5'])
    expect(tailCommand("/var/log/a b's.log", 0).line).toBe("tail -n 0 -F -- '/var/log/a b'\\''s.log'")
  })
})

describe('JournalStream', () => {
  it('stores 5,000 lines exactly once across ten link cuts at random points', async () => {
    const { db, repo } = setup()
    const journal = new FakeJournal().add(1, 5000)
    const rnd = seeded(20261202)
    journal.cuts = Array.from({ length: 10 }, () => Math.floor(rnd() * 5000)).sort((a, b) => a - b)
    const s = stream(repo, journal, { batchLines: 97 })
    const states: string[] = []
    s.on('state', (st: string) => states.push(st))
    s.start()
    await until(s, () => repo.count({ kinds: ['line'] }) >= 5000)
    await s.stop()
    const got = numbers(db)
    expect(got).toHaveLength(5000)
    expect(new Set(got).size).toBe(5000)
    expect(got).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1))
    expect(repo.count({ kinds: ['gap', 'dropped'] })).toBe(0)
    expect(s.stats.reconnects).toBe(10)
    expect(states.filter((x) => x === 'reconnecting')).toHaveLength(10)
    expect(states.at(-1)).toBe('stopped')
    // Every reconnect resumed at a stored cursor.
    expect(journal.commands.slice(1).every((c) => c.argv?.includes('--cursor'))).toBe(true)
  })

  it('marks a gap when the stored entry was vacuumed from the unit, and goes on after it', async () => {
    const { db, repo } = setup()
    const journal = new FakeJournal().add(1, 100)
    const first = stream(repo, journal).start()
    await until(first, () => repo.count() >= 100)
    await first.stop()
    journal.add(101, 300)
    journal.vacuum(150)
    const second = stream(repo, journal)
    const gaps: unknown[] = []
    second.on('gap', (g) => gaps.push(g))
    second.start()
    await until(second, () => repo.count({ kinds: ['line'] }) >= 250)
    await second.stop()
    expect(gaps).toEqual([expect.objectContaining({ reason: 'cursor-gone' })])
    const rows = db.prepare("SELECT kind, message FROM log_lines WHERE id > 99 AND id < 103 ORDER BY id").all() as { kind: string; message: string }[]
    expect(rows.map((r) => r.kind)).toEqual(['line', 'gap', 'line'])
    expect(rows[2]?.message).toMatch(/^line 151 /)
    expect(numbers(db)).toEqual([...Array.from({ length: 100 }, (_, i) => i + 1), ...Array.from({ length: 150 }, (_, i) => i + 151)])
  })

  it('sees no gap when only the stored entry went and the next one is there', async () => {
    const { repo } = setup()
    const journal = new FakeJournal().add(1, 10)
    const first = stream(repo, journal).start()
    await until(first, () => repo.count() >= 10)
    await first.stop()
    journal.add(11, 20)
    journal.vacuum(10)
    const second = stream(repo, journal).start()
    await until(second, () => repo.count() >= 20)
    await second.stop()
    expect(repo.count({ kinds: ['gap'] })).toBe(0)
    expect(repo.count()).toBe(20)
  })

  it('counts malformed and oversized lines, stores a marker, and does not throw', async () => {
    const { db, repo } = setup()
    const journal = new FakeJournal().add(1, 3)
    journal.entries.push({ seq: 4, line: '{"MESSAGE": "cut in the mid' })
    journal.entries.push({ seq: 5, line: 'not json at all' })
    journal.entries.push({ seq: 6, line: JSON.stringify({ MESSAGE: 'no cursor' }) })
    journal.entries.push({ seq: 7, line: `{"MESSAGE":"${'x'.repeat(1024 * 1024 + 10)}"}` })
    journal.add(8, 9)
    const s = stream(repo, journal).start()
    await until(s, () => repo.count({ kinds: ['line'] }) >= 5)
    await s.stop()
    expect(s.stats.dropped).toEqual({ 'not-json': 2, 'no-cursor': 1, oversized: 1 })
    expect(numbers(db)).toEqual([1, 2, 3, 8, 9])
    expect(repo.query({ kinds: ['dropped'] }).map((l) => l.message).join()).toMatch(/4 lines .* could not be read/)
  })

  it('starts again from the latest entries with a gap when journalctl refuses the stored cursor', async () => {
    const { db, repo } = setup()
    repo.appendBatch({ deviceId: 'd1', selector: 'unit:edgedock-inference.service' }, [], 'garbage')
    const journal = new FakeJournal().add(1, 5)
    journal.refuseWith = 'Failed to seek to cursor: Invalid argument\n'
    const s = stream(repo, journal).start()
    await until(s, () => repo.count({ kinds: ['line'] }) >= 5)
    await s.stop()
    expect(db.prepare('SELECT kind FROM log_lines ORDER BY id LIMIT 2').all()).toEqual([{ kind: 'gap' }, { kind: 'line' }])
    expect(journal.commands[1]?.argv).toContain('-n')
  })

  it('backs off exponentially while the unit cannot be reached, then goes live', async () => {
    const { repo } = setup()
    const journal = new FakeJournal().add(1, 3)
    let failures = 3
    const shell = { open: (c: Parameters<FakeJournal['open']>[0], sig: AbortSignal) => (failures-- > 0 ? Promise.reject(new Error('unreachable')) : journal.open(c, sig)) }
    const delays: number[] = []
    const s = stream(repo, journal, { shell, backoff: { minMs: 100, maxMs: 250 }, sleep: async (ms) => void delays.push(ms) })
    s.start()
    await new Promise((r) => s.once('live', r))
    await until(s, () => repo.count() >= 3)
    expect(delays).toHaveLength(3)
    expect(delays[0]).toBeGreaterThanOrEqual(80)
    expect(delays[0]).toBeLessThanOrEqual(120)
    expect(delays[1]).toBeGreaterThanOrEqual(160)
    expect(delays[2]).toBeLessThanOrEqual(300)
  })

  it('follows a file with tail -F and marks that a reconnect cannot recover lines', async () => {
    const { db, repo } = setup()
    const lines = ['booting', 'model loaded', 'ready']
    let opens = 0
    const shell = {
      open: async () => {
        const mine = opens++ === 0 ? lines : ['after the cut']
        async function* gen() {
          yield* mine
          if (mine === lines) throw new Error('link dropped')
          await new Promise(() => {})
        }
        return { lines: gen(), stderr: () => '', close: () => {} }
      }
    }
    const s = stream(repo, new FakeJournal(), { shell, selector: { kind: 'file', path: '/var/log/door.log' } }).start()
    await until(s, () => repo.count() >= 5)
    await s.stop()
    const rows = db.prepare('SELECT kind, message, unit FROM log_lines ORDER BY id').all() as { kind: string; message: string; unit: string }[]
    expect(rows.map((r) => r.kind)).toEqual(['line', 'line', 'line', 'gap', 'line'])
    expect(rows[0]?.unit).toBe('file:/var/log/door.log')
    expect(repo.streamCursor({ deviceId: 'd1', selector: 'file:/var/log/door.log' })).toBe('file-lines:4')
  })

  it('reports lines per second', async () => {
    const { repo } = setup()
    let t = 1_000_000
    const journal = new FakeJournal().add(1, 4000)
    const s = stream(repo, journal, { batchLines: 100, flushMs: 60_000, now: () => (t += 50) }).start()
    await until(s, () => repo.count() >= 4000)
    // 100 lines per batch, 50 ms per batch on this clock.
    expect(s.stats.linesPerSecond).toBeGreaterThan(1500)
    expect(s.stats.linesPerSecond).toBeLessThan(2500)
  })

  it('tags lines with a job', async () => {
    const { repo } = setup()
    const journal = new FakeJournal().add(1, 4, (n) => entryJson(n))
    const s = stream(repo, journal, { jobId: 'job-7' }).start()
    await until(s, () => repo.count() >= 4)
    expect(repo.count({ jobId: 'job-7' })).toBe(4)
  })
})

describe('two processes following one unit', () => {
  it('store every line once: the second stands back while the first stores, and takes over when it stops', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'edgedock-two-followers-'))
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
    const file = path.join(dir, 'edgedock.db')
    // Two connections to one database file, as the desktop app and `edgedock logs --follow` have.
    const [a, b] = [openLogsDb(file), openLogsDb(file)] as [Database.Database, Database.Database]
    open.push(a, b)
    const journal = new FakeJournal().add(1, 2000)
    const first = stream(createLogsRepo(a), journal, { selector: { kind: 'all' } }).start()
    await until(first, () => numbers(a).length >= 2000)
    const second = stream(createLogsRepo(b), journal, { selector: { kind: 'all' } }).start()
    journal.add(2001, 4000)
    await until(first, () => numbers(a).length >= 4000)
    // The first stops (its window closed): the second finds the cursor still and goes on from it.
    await first.stop()
    journal.add(4001, 5000)
    await until(second, () => numbers(b).length >= 5000)
    await new Promise((r) => setTimeout(r, 300))
    expect(numbers(b)).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1))
  }, 30_000)
})
