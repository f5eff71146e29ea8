// A process killed in the middle of ingest: the database is whole, and a new stream resumes at the
// stored cursor with no gap and no line twice.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { JournalStream } from '../../../../../src/main/core/logs/journal-stream'
import { createLogsRepo } from '../../../../../src/main/store/logs-repo'
import { tempDir } from '../../../../helpers/temp-dir'
import { FakeJournal } from './fake-journal'
import { openLogsDb } from './log-db'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((c) => c()))

it('survives SIGKILL mid-stream and resumes from its cursor', async () => {
  const { dir, cleanup } = tempDir('edgedock-logs-kill-')
  cleanups.push(cleanup)
  const file = path.join(dir, 'edgedock.db')
  openLogsDb(file).close()

  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'ingest-child.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] })
  const storedBeforeKill = await new Promise<number>((resolve, reject) => {
    let out = ''
    child.on('exit', (code) => reject(new Error(`the ingest process ended by itself (${code})`)))
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const n = Number(/stored (\d+)\n$/.exec(out)?.[1] ?? 0)
      if (n >= 1500 && child.pid !== undefined) {
        child.removeAllListeners('exit')
        process.kill(child.pid, 'SIGKILL')
        resolve(n)
      }
    })
  })
  await new Promise((r) => child.once('exit', r))
  expect(child.signalCode).toBe('SIGKILL')

  const db = openLogsDb(file)
  cleanups.unshift(() => db.close())
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
  const repo = createLogsRepo(db)
  const before = repo.count()
  expect(before).toBeGreaterThanOrEqual(storedBeforeKill)
  expect(before).toBeLessThan(5000)

  const journal = new FakeJournal().add(1, 5000)
  const stream = new JournalStream({ deviceId: 'd1', selector: { kind: 'all' }, shell: journal, sink: repo, initialLines: 100_000 })
  await new Promise<void>((resolve) => {
    stream.on('batch', () => repo.count() >= 5000 && resolve())
    stream.start()
  })
  await stream.stop()
  expect(journal.commands[0]?.argv).toContain('--cursor')
  const got = (db.prepare("SELECT message FROM log_lines WHERE kind = 'line' ORDER BY id").all() as { message: string }[]).map((r) => Number(/^line (\d+)/.exec(r.message)?.[1]))
  expect(got).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1))
  expect(repo.count({ kinds: ['gap', 'dropped'] })).toBe(0)
}, 30_000)
