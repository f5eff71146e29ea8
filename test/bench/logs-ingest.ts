// Benchmark: log ingest into SQLite with the full-text index, the way a stream writes (journal JSON
// parsed, batches of 500 lines with the stream's cursor, one transaction each, WAL, a file on disk).
// Reported as ratios against references measured in the same run: the same batched inserts with
// the full-text triggers dropped, and a plain loop that only parses the lines.
// Run: npx tsx test/bench/logs-ingest.ts   (or: npm run bench -- logs-ingest)   LINES=200000 by default.
import { rmSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseJournalLine } from '../../src/main/core/logs/journal-json'
import { createLogsRepo, type LogLineInput } from '../../src/main/store/logs-repo'
import { entryJson } from '../unit/main/core/logs/fake-journal'
import { openLogsDb } from '../unit/main/core/logs/log-db'

const total = Number(process.env.LINES ?? 200_000)
const batch = 500
const words = ['frame', 'camera', 'timeout', 'inference', 'door', 'opened', 'face', 'matched', 'latency', 'ms', 'model', 'reload']
const lines = Array.from({ length: total }, (_, i) => {
  const text = Array.from({ length: 8 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ')
  return entryJson(i + 1, { MESSAGE: `req ${i + 1} ${text} ${i % 997}` })
})

function parseAll(): LogLineInput[] {
  const out: LogLineInput[] = []
  for (const l of lines) {
    const p = parseJournalLine(l)
    if (p.ok) out.push(p.entry)
  }
  return out
}

function ingest(withFts: boolean): number {
  const dir = mkdtempSync(join(tmpdir(), 'edgedock-bench-logs-'))
  try {
    const db = openLogsDb(join(dir, 'edgedock.db'))
    // Without FTS: the virtual table goes, and the batch's index statement with it.
    if (!withFts) db.exec('DROP TRIGGER log_lines_fts_delete; DROP TABLE log_lines_fts; CREATE TABLE log_lines_fts (rowid INTEGER PRIMARY KEY, message TEXT); CREATE TRIGGER no_fts BEFORE INSERT ON log_lines_fts BEGIN SELECT RAISE(IGNORE); END;')
    const repo = createLogsRepo(db)
    const key = { deviceId: 'bench', selector: 'all' }
    const t = performance.now()
    let pending: LogLineInput[] = []
    for (const l of lines) {
      const p = parseJournalLine(l)
      if (!p.ok) continue
      pending.push(p.entry)
      if (pending.length === batch) {
        repo.appendBatch(key, pending, p.entry.cursor)
        pending = []
      }
    }
    if (pending.length) repo.appendBatch(key, pending, pending.at(-1)?.cursor ?? null)
    const ms = performance.now() - t
    if (withFts && repo.count({ text: 'camera' }) === 0) throw new Error('the full-text index is empty')
    db.close()
    return ms
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function median(label: string, fn: () => number, rounds = 3): number {
  const times = Array.from({ length: rounds }, fn).sort((a, b) => a - b)
  const m = times[Math.floor(rounds / 2)] as number
  console.log(`  ${label.padEnd(44)} ${m.toFixed(0).padStart(6)} ms  ${Math.round((total / m) * 1000).toLocaleString('en').padStart(9)} lines/s`)
  return m
}

console.log(`logs-ingest: ${total.toLocaleString('en')} journal JSON lines, batches of ${batch}, WAL file database`)
const parse = median('reference: parse only (plain loop)', () => {
  const t = performance.now()
  parseAll()
  return performance.now() - t
})
const noFts = median('reference: parse + batched insert, no FTS', () => ingest(false))
const full = median('parse + batched insert + FTS5 (as shipped)', () => ingest(true))
console.log(`  ratio with FTS / without FTS: ${(full / noFts).toFixed(2)}x the time`)
console.log(`  ratio with FTS / parse only:  ${(full / parse).toFixed(2)}x the time`)
console.log(`  per batch of ${batch} (write lock held): ${((full / total) * batch).toFixed(1)} ms`)
