// One log stream of one unit: runs journalctl (or tail -F) on the unit, stores its lines in batches
// together with the cursor of the last one, and reconnects with backoff after the link drops,
// resuming at the stored cursor. Because lines and cursor commit together, every line is stored
// exactly once across link cuts and process kills.
//
// Backpressure: lines are pulled one at a time from the unit's stdout and at most `batchLines` are
// held before they are written; while a batch is written and the loop yields, nothing more is read,
// so the SSH channel's window fills and journalctl on the unit waits. That loses nothing (the unit's
// journal is the buffer, read again from the cursor), which dropping lines here would not; a noisy
// unit only slows itself, and the yield after each batch lets other streams have their turn.
import { EventEmitter } from 'node:events'
import type { LogLineInput, LogSink, LogStreamKey } from '../../store/logs-repo'
import { StreamMovedError } from './stream-moved-error'
import type { RemoteCommand } from '../ssh/remote-command'
import { journalCommand, selectorKey, tailCommand, type LogSelector } from './journal-command'
import { capMessage, cursorPosition, parseJournalLine, sameEntry, type DropReason } from './journal-json'

/** A command's stdout on the unit, one line at a time. */
export interface RemoteLines {
  /** Ends when the command exits; throws when the link drops. Only whole lines are given. */
  lines: AsyncIterable<string>
  /** What the command wrote to stderr so far (why it ended). */
  stderr(): string
  /** Stops the command (closes its channel). */
  close(): void
}

/** The SSH side a stream needs; `ssh-log-shell.ts` maps a session onto it, tests feed recordings. */
export interface LogShell {
  open(command: RemoteCommand, signal: AbortSignal): Promise<RemoteLines>
}

export type StreamState = 'idle' | 'live' | 'reconnecting' | 'stopped'

export interface StreamStats {
  stored: number
  dropped: Record<DropReason, number>
  gaps: number
  reconnects: number
  linesPerSecond: number
}

export interface JournalStreamOptions {
  deviceId: string
  selector: LogSelector
  shell: LogShell
  sink: LogSink
  /** Lines written per transaction at most. */
  batchLines?: number
  /** A partial batch is written after this long. */
  flushMs?: number
  /** Entries to start with when the stream has no cursor yet. */
  initialLines?: number
  backoff?: { minMs: number; maxMs: number }
  /** Tags lines with the job that caused them (a benchmark, a push). */
  jobId?: string | null
  now?: () => number
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

export interface GapEvent {
  reason: 'cursor-gone' | 'cursor-refused' | 'file-reconnect'
  message: string
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms)
    function done() {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}

const FILE_CURSOR = /^file-lines:(\d+)$/
/** How long a stream that found another process storing its lines waits before it looks again. */
const MOVED_AWAY_WAIT_MS = 5000

export class JournalStream extends EventEmitter {
  readonly key: LogStreamKey
  private stateNow: StreamState = 'idle'
  private readonly abort = new AbortController()
  private current: RemoteLines | null = null
  private loop: Promise<void> | null = null
  private batch: LogLineInput[] = []
  private batchCursor: string | null = null
  private pendingDrops = 0
  private fileLines = 0
  /** The stored cursor the current command was started at, until its first entry is seen. */
  private resumeAt: string | null = null
  /** The stored cursor as this stream last read or wrote it: a batch is stored only on top of it. */
  private base: string | null = null
  /** Set when another process was found storing this stream: wait longer before trying again. */
  private movedAway: StreamMovedError | null = null
  private readonly o: Required<Omit<JournalStreamOptions, 'jobId'>> & { jobId: string | null }
  private rate = { start: 0, count: 0 }
  readonly stats: StreamStats = { stored: 0, dropped: { oversized: 0, 'not-json': 0, 'no-cursor': 0 }, gaps: 0, reconnects: 0, linesPerSecond: 0 }

  constructor(opts: JournalStreamOptions) {
    super()
    this.o = {
      batchLines: 500,
      flushMs: 100,
      initialLines: 1000,
      backoff: { minMs: 500, maxMs: 30_000 },
      now: Date.now,
      sleep: defaultSleep,
      ...opts,
      jobId: opts.jobId ?? null
    }
    this.key = { deviceId: opts.deviceId, selector: selectorKey(opts.selector) }
  }

  get state(): StreamState {
    return this.stateNow
  }

  start(): this {
    this.loop ??= this.run()
    return this
  }

  /** Stops reading, writes what was read, and resolves once the stream is stopped. */
  async stop(): Promise<void> {
    this.abort.abort()
    this.current?.close()
    await this.loop
    if (this.stateNow !== 'stopped') this.setState('stopped')
  }

  private setState(s: StreamState, detail?: unknown): void {
    this.stateNow = s
    this.emit(s, detail)
    this.emit('state', s, detail)
  }

  private async run(): Promise<void> {
    const timer = setInterval(() => this.flushQuietly(), this.o.flushMs)
    let attempt = 0
    let refusedCursor: string | null = null
    let opened = false
    try {
      while (!this.abort.signal.aborted) {
        let reason: unknown = null
        try {
          const stored = this.o.sink.streamCursor(this.key)
          this.base = stored
          const cursor: string | null = stored !== null && stored === refusedCursor ? null : stored
          const { command, gap } = this.command(cursor, opened)
          const stream = await this.o.shell.open(command, this.abort.signal)
          this.current = stream
          opened = true
          attempt = 0
          if (gap) this.gap(gap)
          this.setState('live')
          const seen = await this.consume(stream, cursor)
          reason = { ended: true, stderr: stream.stderr().slice(0, 500) }
          // journalctl refuses a cursor it cannot parse (or one from another machine) and exits at once.
          if (seen === 0 && cursor !== null && this.o.selector.kind !== 'file' && /cursor/i.test(stream.stderr())) {
            refusedCursor = cursor
            this.gap({ reason: 'cursor-refused', message: `The unit's journal refused the stored position (${stream.stderr().trim().slice(0, 200)}); reading starts again from its latest entries, and lines in between may be missing.` })
          }
        } catch (err) {
          reason = err
        } finally {
          this.current?.close()
          this.current = null
        }
        this.flushQuietly()
        if (this.abort.signal.aborted) break
        // Standing back for another process costs nothing (its lines are in the same store), and
        // trying again every few seconds takes over within seconds of that process stopping.
        if (this.movedAway) reason = this.movedAway
        const delayMs = this.movedAway ? MOVED_AWAY_WAIT_MS : Math.min(this.o.backoff.maxMs, this.o.backoff.minMs * 2 ** attempt) * (0.8 + Math.random() * 0.4)
        this.movedAway = null
        attempt++
        this.stats.reconnects++
        this.setState('reconnecting', { attempt, delayMs: Math.round(delayMs), reason })
        await this.o.sleep(delayMs, this.abort.signal)
      }
    } finally {
      clearInterval(timer)
      this.flushQuietly()
      this.setState('stopped')
    }
  }

  private command(cursor: string | null, reopened: boolean): { command: RemoteCommand; gap: GapEvent | null } {
    const s = this.o.selector
    if (s.kind !== 'file') return { command: journalCommand(s, { cursor, lines: this.o.initialLines }), gap: null }
    const m = cursor === null ? null : FILE_CURSOR.exec(cursor)
    this.fileLines = m ? Number(m[1]) : 0
    // A file has no cursor: after a reconnect or a restart, lines written meanwhile cannot be fetched
    // without storing some twice, so reading goes on from the file's end and the hole is marked.
    if (m || reopened) {
      const message = `Reading ${s.path} again from its end: lines written while the stream was away are not recovered.`
      return { command: tailCommand(s.path, 0), gap: { reason: 'file-reconnect', message } }
    }
    return { command: tailCommand(s.path, this.o.initialLines), gap: null }
  }

  /** Reads one command's output; returns the number of lines it gave. */
  private async consume(stream: RemoteLines, resumeAt: string | null): Promise<number> {
    this.resumeAt = resumeAt
    let seen = 0
    const it = stream.lines[Symbol.asyncIterator]()
    // stop() must not depend on the source noticing close(): the next line races the abort.
    let onAbort = () => {}
    const aborted = new Promise<IteratorResult<string>>((resolve) => {
      onAbort = () => resolve({ done: true, value: undefined })
      this.abort.signal.addEventListener('abort', onAbort, { once: true })
    })
    try {
      for (;;) {
        const next = await Promise.race([it.next(), aborted])
        if (next.done || this.abort.signal.aborted) break
        seen++
        if (this.o.selector.kind === 'file') this.addFileLine(next.value)
        else this.addJournalLine(next.value)
        if (this.batch.length >= this.o.batchLines) {
          this.flush()
          await new Promise((resolve) => setImmediate(resolve))
        }
      }
    } finally {
      this.abort.signal.removeEventListener('abort', onAbort)
    }
    return seen
  }

  private addJournalLine(line: string): void {
    if (line.trim() === '') return
    const parsed = parseJournalLine(line)
    if (!parsed.ok) {
      this.stats.dropped[parsed.reason]++
      this.pendingDrops++
      return
    }
    const entry = parsed.entry
    const resumeAt = this.resumeAt
    if (resumeAt !== null) {
      this.resumeAt = null
      // `--cursor` gives the stored entry back first; anything else means it is gone from the journal.
      if (sameEntry(entry.cursor, resumeAt)) return
      if (!follows(resumeAt, entry.cursor)) {
        this.gap({ reason: 'cursor-gone', message: "The unit's journal no longer holds the last stored entry (rotated or vacuumed): lines in between may be missing." })
      }
    }
    this.batch.push({ ...entry, jobId: this.o.jobId })
    this.batchCursor = entry.cursor
  }

  private addFileLine(line: string): void {
    this.fileLines++
    this.batch.push({ unit: this.key.selector, priority: null, timeUs: this.o.now() * 1000, message: capMessage(line), cursor: null, bootId: null, jobId: this.o.jobId })
    this.batchCursor = `file-lines:${this.fileLines}`
  }

  private gap(g: GapEvent): void {
    this.stats.gaps++
    this.batch.push({ kind: 'gap', unit: null, priority: null, timeUs: this.o.now() * 1000, message: g.message, cursor: null, bootId: null, jobId: this.o.jobId })
    this.emit('gap', g)
  }

  private flush(): void {
    if (this.pendingDrops > 0) {
      const n = this.pendingDrops
      this.batch.push({ kind: 'dropped', unit: null, priority: null, timeUs: this.o.now() * 1000, message: `${n} line${n === 1 ? '' : 's'} from the unit could not be read and ${n === 1 ? 'was' : 'were'} left out.`, cursor: null, bootId: null, jobId: this.o.jobId })
    }
    if (this.batch.length === 0) return
    const lines = this.batch
    const cursor = this.batchCursor
    this.o.sink.appendBatch(this.key, lines, cursor, undefined, this.base)
    if (cursor !== null) this.base = cursor
    // Only after the commit: a failed write keeps nothing, and the stream resumes at the old cursor.
    this.batch = []
    this.batchCursor = null
    this.pendingDrops = 0
    const stored = lines.filter((l) => (l.kind ?? 'line') === 'line').length
    this.stats.stored += stored
    this.countRate(stored)
    this.emit('batch', { lines: lines.length, cursor })
  }

  // A write that fails from the timer (database busy for longer than busy_timeout) ends the current
  // command; the loop reconnects and reads again from the cursor that was stored.
  private flushQuietly(): void {
    try {
      this.flush()
    } catch (err) {
      this.batch = []
      this.batchCursor = null
      this.pendingDrops = 0
      if (err instanceof StreamMovedError) this.movedAway = err
      else this.emit('write-failed', err)
      this.current?.close()
    }
  }

  private countRate(n: number): void {
    const now = this.o.now()
    if (this.rate.start === 0) this.rate.start = now
    this.rate.count += n
    const span = now - this.rate.start
    if (span >= 1000) {
      this.stats.linesPerSecond = Math.round((this.rate.count * 1000) / span)
      this.rate = { start: now, count: 0 }
    }
  }
}

/** True when `next` is the entry right after `prev` in the same journal (sequence numbers are hex). */
function follows(prev: string, next: string): boolean {
  const a = cursorPosition(prev)
  const b = cursorPosition(next)
  return !!a && !!b && a.seqnumId === b.seqnumId && parseInt(b.seqnum, 16) === parseInt(a.seqnum, 16) + 1
}
