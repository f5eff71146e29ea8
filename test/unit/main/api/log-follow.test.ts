// Following units' journals: the streams the API starts and stops, the states and rates they report,
// and the SSH side, whose commands are restarted every so often (the session keeps a command's
// output until it ends) without a line lost, stored twice or reported as broken.
import { afterEach, expect, it } from 'vitest'
import type Database from 'better-sqlite3'
import type { LogStreamStatus } from '../../../../src/shared/contract-logs'
import { createLogFollow, type LogFollow } from '../../../../src/main/api/log-follow'
import { logExec, type LogSession } from '../../../../src/main/api/log-ssh-exec'
import { cursorPosition } from '../../../../src/main/core/logs/journal-json'
import type { RemoteCommand } from '../../../../src/main/core/ssh/remote-command'
import { createLogsRepo } from '../../../../src/main/store/logs-repo'
import { entryJson, FakeJournal } from '../core/logs/fake-journal'
import { openLogsDb } from '../core/logs/log-db'

let db: Database.Database
let follow: LogFollow | null = null
afterEach(async () => {
  await follow?.close()
  follow = null
  db.close()
})
const until = async (ok: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}

it('starts one stream per unit and selector, reports it live with lines per second, marks a gap, and stops it', async () => {
  db = openLogsDb()
  const repo = createLogsRepo(db)
  const journal = new FakeJournal().add(1, 3000)
  const events: LogStreamStatus[] = []
  follow = createLogFollow({ sink: repo, execFor: () => ({ shell: journal, takeRotated: () => false, close: async () => {} }), emit: (s) => events.push(s), tickMs: 50, streamOptions: { initialLines: 10_000, backoff: { minMs: 5, maxMs: 20 } } })
  expect(follow.start('d1')).toMatchObject({ deviceId: 'd1', selector: 'all' })
  expect(follow.start('d1', 'ssh.service').selector).toBe('unit:ssh.service')
  expect(follow.start('d1', 'kernel').selector).toBe('kernel')
  expect(follow.list()).toHaveLength(3)
  await until(() => repo.count({ deviceId: 'd1' }) >= 9000)
  await until(() => events.some((e) => e.selector === 'all' && e.state === 'live' && e.linesPerSecond > 0))
  expect(await follow.stop('d1', 'kernel')).toBe(1)
  expect(await follow.stop('d1', 'ssh.service')).toBe(1)
  expect(events.at(-1)).toMatchObject({ selector: 'unit:ssh.service', state: 'stopped' })

  // The link drops, and meanwhile the unit's journal is vacuumed past the stored cursor.
  journal.cuts = [journal.delivered]
  journal.add(3001, 3200)
  journal.vacuum(3100)
  await until(() => events.some((e) => e.selector === 'all' && e.gaps === 1))
  await until(() => repo.query({ deviceId: 'd1', kinds: ['gap'] }).length === 1)
  expect(events.some((e) => e.state === 'reconnecting' && /dropped/.test(e.error ?? ''))).toBe(true)
  expect(await follow.stop('d1')).toBe(1)
  expect(follow.list()).toEqual([])
})

/** A session as SshSession.run behaves: output in chunks cut anywhere, SIGINT ends the command, abort fails it. */
function fakeSession(entries: string[], runs: RemoteCommand[]): LogSession {
  return {
    connected: true,
    close: async () => {},
    async run(command, opts) {
      runs.push(command)
      const argv = command.argv ?? []
      const at = argv.indexOf('--cursor')
      const from = at >= 0 ? parseInt(cursorPosition(argv[at + 1] as string)?.seqnum ?? '0', 16) - 1 : Math.max(0, entries.length - Number(argv[argv.indexOf('-n') + 1]))
      const text = entries.slice(from).map((l) => `${l}\n`).join('')
      for (let i = 0; i < text.length; i += 777) {
        if (opts.signal?.aborted) throw new Error('The connection to the unit dropped')
        if (opts.interrupt?.aborted) return { code: 130 }
        opts.onStdout?.(text.slice(i, i + 777))
        await new Promise((r) => setImmediate(r))
      }
      await new Promise<void>((resolve) => {
        opts.interrupt?.addEventListener('abort', () => resolve(), { once: true })
        opts.signal?.addEventListener('abort', () => resolve(), { once: true })
      })
      return { code: 130 }
    }
  }
}

it('restarts the command on the unit every so often and stores every line exactly once, none reported broken', async () => {
  db = openLogsDb()
  const repo = createLogsRepo(db)
  const entries = Array.from({ length: 5000 }, (_, i) => entryJson(i + 1))
  const runs: RemoteCommand[] = []
  const events: LogStreamStatus[] = []
  follow = createLogFollow({
    sink: repo,
    execFor: () => logExec(async () => fakeSession(entries, runs), 100_000),
    emit: (s) => events.push(s),
    streamOptions: { initialLines: 10_000, backoff: { minMs: 1, maxMs: 5 } }
  })
  follow.start('d1')
  await until(() => repo.count({ deviceId: 'd1' }) >= 5000)
  await follow.stop('d1')
  const lines = repo.query({ deviceId: 'd1' }, { limit: 1000 })
  const all = [...repo.exportLines({ deviceId: 'd1' })]
  expect(all.map((l) => Number(/^line (\d+) /.exec(l.message)?.[1]))).toEqual(Array.from({ length: 5000 }, (_, i) => i + 1))
  expect(all.every((l) => l.kind === 'line')).toBe(true)
  expect(lines[0]?.message).toBe('line 1 inference latency 1 ms')
  // About 1.6 MB of JSON at 100 kB per command: restarted many times, each at the stored cursor.
  expect(runs.length).toBeGreaterThan(10)
  expect(runs.slice(1).every((c) => c.argv?.includes('--cursor'))).toBe(true)
  // A planned restart is not shown as a lost link.
  expect(events.filter((e) => e.state === 'reconnecting')).toEqual([])
})
