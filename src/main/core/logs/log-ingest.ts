// Every log stream this process follows, all writing through one store connection of their own.
// Ingest is kept on the main thread on purpose: the SSH sessions live there, so a worker thread
// would only add a copy of every line across threads, while a batch of at most `batchLines` rows
// commits in a few milliseconds (see test/bench/logs-ingest.ts). Its own connection in WAL mode
// means the UI's reads never wait on it, and its transactions never hold the lock for long.
import type { LogSink } from '../../store/logs-repo'
import { selectorKey, type LogSelector } from './journal-command'
import { JournalStream, type JournalStreamOptions, type LogShell } from './journal-stream'

export interface LogIngestDeps {
  /** A repository on a connection opened for ingest alone (`createLogsRepo(openDatabase(file))`). */
  sink: LogSink
  /** The SSH side for a unit (a session's streaming exec through `sshLogShell`). */
  shellFor: (deviceId: string) => LogShell
  streamOptions?: Omit<JournalStreamOptions, 'deviceId' | 'selector' | 'shell' | 'sink'>
}

export function createLogIngest(deps: LogIngestDeps) {
  const streams = new Map<string, JournalStream>()
  const id = (deviceId: string, selector: LogSelector) => `${deviceId}\n${selectorKey(selector)}`
  return {
    /** Starts following (or returns the stream already following) one selector on one unit. */
    follow(deviceId: string, selector: LogSelector, opts: { jobId?: string | null } = {}): JournalStream {
      const key = id(deviceId, selector)
      const existing = streams.get(key)
      if (existing) return existing
      const stream = new JournalStream({ ...deps.streamOptions, ...opts, deviceId, selector, shell: deps.shellFor(deviceId), sink: deps.sink })
      streams.set(key, stream)
      stream.once('stopped', () => streams.delete(key))
      return stream.start()
    },
    async stop(deviceId: string, selector?: LogSelector): Promise<void> {
      const mine = [...streams.entries()].filter(([k]) => (selector ? k === id(deviceId, selector) : k.startsWith(`${deviceId}\n`)))
      await Promise.all(mine.map(([, s]) => s.stop()))
    },
    async stopAll(): Promise<void> {
      await Promise.all([...streams.values()].map((s) => s.stop()))
    },
    streams(): JournalStream[] {
      return [...streams.values()]
    }
  }
}
export type LogIngest = ReturnType<typeof createLogIngest>
