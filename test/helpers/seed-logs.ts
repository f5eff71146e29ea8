// Log lines put into a data folder's database the way the app stores them: a recorded journal
// (test/unit/main/core/logs/fake-journal.ts) followed by the core's ingest, batched with cursors.
import path from 'node:path'
import { createLogIngest } from '../../src/main/core/logs/log-ingest'
import type { LogSelector } from '../../src/main/core/logs/journal-command'
import { createLogsRepo } from '../../src/main/store/logs-repo'
import { openDatabase } from '../../src/main/store/open-database'
import { entryJson, FakeJournal } from '../unit/main/core/logs/fake-journal'

export interface SeedStream {
  deviceId: string
  /** Entries 1..count of the journal. */
  count: number
  selector?: LogSelector
  entry?: (n: number) => Record<string, unknown>
}

/** Streams each journal into `<dataDir>/edgedock.db` until every entry is stored, then stops. */
export async function seedLogs(dataDir: string, streams: SeedStream[]): Promise<void> {
  const db = openDatabase(path.join(dataDir, 'edgedock.db'))
  try {
    const repo = createLogsRepo(db)
    const journals = new Map(streams.map((s) => [s.deviceId, new FakeJournal().add(1, s.count, (n) => entryJson(n, s.entry?.(n) ?? {}))]))
    const ingest = createLogIngest({ sink: repo, shellFor: (id) => journals.get(id) as FakeJournal, streamOptions: { initialLines: 10_000_000, batchLines: 2000 } })
    await Promise.all(
      streams.map(
        (s) =>
          new Promise<void>((resolve) => {
            const stream = ingest.follow(s.deviceId, s.selector ?? { kind: 'all' })
            stream.on('batch', () => repo.count({ deviceId: s.deviceId }) >= s.count && resolve())
          })
      )
    )
    await ingest.stopAll()
  } finally {
    db.close()
  }
}
