// The log streams this process runs: one per unit and selector, started and stopped through the
// API, each reported as a `logs.stream` event when its state changes and once a second while it
// runs (lines per second, gaps, reconnects). Ingest writes through the given sink; see
// core/logs/log-ingest.ts for why it stays on this thread.
import type { LogStreamStatus } from '../../shared/contract-logs'
import type { LogSelector } from '../core/logs/journal-command'
import { createLogIngest } from '../core/logs/log-ingest'
import type { JournalStream, JournalStreamOptions } from '../core/logs/journal-stream'
import type { LogSink } from '../store/logs-repo'
import type { LogExec } from './log-ssh-exec'

export interface LogFollowDeps {
  sink: LogSink
  /** The SSH side of one unit (`logExec` over a session to it). */
  execFor: (deviceId: string) => LogExec
  emit: (status: LogStreamStatus) => void
  streamOptions?: Omit<JournalStreamOptions, 'deviceId' | 'selector' | 'shell' | 'sink'>
  tickMs?: number
}

export function selectorFor(unit: string | undefined): LogSelector {
  if (unit === undefined) return { kind: 'all' }
  return unit === 'kernel' ? { kind: 'kernel' } : { kind: 'unit', unit }
}

const reasonText = (reason: unknown): string | null => {
  if (reason instanceof Error) return reason.message
  if (reason && typeof reason === 'object' && 'stderr' in reason) return String((reason as { stderr: unknown }).stderr).trim() || null
  return null
}

export function createLogFollow(deps: LogFollowDeps) {
  const execs = new Map<string, LogExec>()
  const execOf = (deviceId: string): LogExec => {
    let e = execs.get(deviceId)
    if (!e) execs.set(deviceId, (e = deps.execFor(deviceId)))
    return e
  }
  const ingest = createLogIngest({ sink: deps.sink, shellFor: (id) => execOf(id).shell, streamOptions: deps.streamOptions })
  const info = new WeakMap<JournalStream, { state: LogStreamStatus['state']; error: string | null; lastStored: number; lps: number }>()

  const status = (s: JournalStream): LogStreamStatus => {
    const i = info.get(s)
    return {
      deviceId: s.key.deviceId,
      selector: s.key.selector,
      state: i?.state ?? 'reconnecting',
      linesPerSecond: i?.lps ?? 0,
      stored: s.stats.stored,
      gaps: s.stats.gaps,
      reconnects: s.stats.reconnects,
      error: i?.error ?? null
    }
  }

  const watch = (s: JournalStream): void => {
    if (info.has(s)) return
    const i = { state: (s.state === 'live' ? 'live' : 'reconnecting') as LogStreamStatus['state'], error: null as string | null, lastStored: 0, lps: 0 }
    info.set(s, i)
    s.on('state', (state: string, detail?: { reason?: unknown }) => {
      if (state === 'idle') return
      // A rotated command (see log-ssh-exec.ts) is a planned restart, not a lost link.
      if (state === 'reconnecting' && execOf(s.key.deviceId).takeRotated()) return
      i.state = state === 'live' ? 'live' : state === 'stopped' ? 'stopped' : 'reconnecting'
      if (state === 'reconnecting') i.error = reasonText(detail?.reason)
      if (state === 'live') i.error = null
      deps.emit(status(s))
    })
    s.on('gap', () => deps.emit(status(s)))
  }

  const timer = setInterval(() => {
    for (const s of ingest.streams()) {
      const i = info.get(s)
      if (!i) continue
      const lps = s.stats.stored - i.lastStored
      i.lastStored = s.stats.stored
      if (lps === 0 && i.lps === 0) continue
      i.lps = lps
      deps.emit(status(s))
    }
  }, deps.tickMs ?? 1000)
  timer.unref()

  return {
    start(deviceId: string, unit?: string): LogStreamStatus {
      const s = ingest.follow(deviceId, selectorFor(unit))
      watch(s)
      return status(s)
    },
    async stop(deviceId: string, unit?: string): Promise<number> {
      const mine = ingest.streams().filter((s) => s.key.deviceId === deviceId)
      await ingest.stop(deviceId, unit === undefined ? undefined : selectorFor(unit))
      const stopped = mine.filter((s) => s.state === 'stopped').length
      if (!ingest.streams().some((s) => s.key.deviceId === deviceId)) {
        await execs.get(deviceId)?.close()
        execs.delete(deviceId)
      }
      return stopped
    },
    list(): LogStreamStatus[] {
      return ingest.streams().map(status)
    },
    async close(): Promise<void> {
      clearInterval(timer)
      await ingest.stopAll()
      await Promise.all([...execs.values()].map((e) => e.close()))
      execs.clear()
    }
  }
}
export type LogFollow = ReturnType<typeof createLogFollow>
