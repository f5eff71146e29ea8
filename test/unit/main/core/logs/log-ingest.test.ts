import { afterEach, expect, it } from 'vitest'
import type Database from 'better-sqlite3'
import { createLogIngest } from '../../../../../src/main/core/logs/log-ingest'
import { createLogsRepo } from '../../../../../src/main/store/logs-repo'
import { FakeJournal } from './fake-journal'
import { openLogsDb } from './log-db'

let db: Database.Database
afterEach(() => db.close())

it('follows each selector of each unit once, on one connection, and stops them', async () => {
  db = openLogsDb()
  const repo = createLogsRepo(db)
  const journals = new Map([
    ['d1', new FakeJournal().add(1, 300)],
    ['d2', new FakeJournal().add(1, 200)]
  ])
  const ingest = createLogIngest({ sink: repo, shellFor: (id) => journals.get(id) as FakeJournal, streamOptions: { initialLines: 10_000 } })
  const a = ingest.follow('d1', { kind: 'all' })
  expect(ingest.follow('d1', { kind: 'all' })).toBe(a)
  const b = ingest.follow('d2', { kind: 'kernel' })
  await Promise.all(
    [a, b].map((s, i) => new Promise<void>((resolve) => s.on('batch', () => repo.count({ deviceId: `d${i + 1}` }) >= (i ? 200 : 300) && resolve())))
  )
  expect(b.key).toEqual({ deviceId: 'd2', selector: 'kernel' })
  await ingest.stop('d1')
  expect(a.state).toBe('stopped')
  expect(ingest.streams()).toEqual([b])
  await ingest.stopAll()
  expect(ingest.streams()).toEqual([])
})
