// Long work runs as a job: it gets an id at once, reports steps and progress (with rate and ETA),
// can be cancelled through its AbortSignal, and is persisted with its steps and log as it goes, so a
// crash or a pulled cable leaves a record that says "interrupted" rather than nothing.
import { randomUUID } from 'node:crypto'
import type { Job, JobLogLine, JobState, Text } from '../../../shared/domain'
import { EdgeError, serializeError, type SerializedError } from '../../../shared/errors'
import { formatText } from '../../../shared/texts'
import { currentOwner, HEARTBEAT_MS, ownerAlive, type OwnerRecord } from './job-owner'
import type { JobStore } from './job-store'
import { RateMeter } from './rate-meter'

export interface JobContext {
  readonly jobId: string
  readonly signal: AbortSignal
  /** Runs one named step; the job shows it as current and records how it ended. */
  step<T>(name: string | Text, fn: () => Promise<T>): Promise<T>
  progress(done: number, total?: number | null): void
  log(level: JobLogLine['level'], text: string): void
  /** Registers a value (password, token) that must never appear in the job's log. */
  secret(value: string): void
  /** What the job produced; stored with it and sent with its last update. */
  setResult(value: unknown): void
}

export interface JobSpec {
  kind: string
  /** A text code lets each UI word the title in its language; a plain string is shown as it is. */
  title: string | Text
  deviceId?: string | null
  unit?: Job['unit']
}

export interface JobEvents {
  updated(job: Job): void
  log(line: JobLogLine): void
  finished?(job: Job): void
}

const PROGRESS_INTERVAL_MS = 250
/** Dead owners are looked for this often while the process runs (and once at start-up). */
const RECOVER_EVERY_BEATS = 20

const english = (t: string | Text) => (typeof t === 'string' ? t : formatText(t, 'en'))
const asText = (t: string | Text) => (typeof t === 'string' ? null : t)

export class JobRunner {
  private readonly running = new Map<string, { abort: AbortController; done: Promise<Job> }>()
  private beat: NodeJS.Timeout | undefined
  private beats = 0

  constructor(
    private readonly store: JobStore,
    private readonly events: JobEvents,
    options: { owner?: OwnerRecord; now?: () => number } = {}
  ) {
    this.owner = options.owner ?? currentOwner('cli')
    this.now = options.now ?? Date.now
  }
  /** This process, as recorded on the jobs it starts. */
  private readonly owner: OwnerRecord
  private readonly now: () => number

  /**
   * Marks "interrupted" the queued or running jobs whose owner is gone (a dead pid, a reused pid,
   * a stale heartbeat). Jobs of live processes (a station pushing while the CLI lists) are left alone.
   */
  recoverInterrupted(): number {
    const now = this.now()
    const gone = this.store
      .live()
      .filter((j) => !this.running.has(j.id) && !ownerAlive(j.owner, j.heartbeatAt, now, this.owner))
      .map((j) => j.id)
    if (gone.length === 0) return 0
    const n = this.store.markInterrupted(gone, now, serializeError(new EdgeError('JOB_INTERRUPTED')))
    for (const id of gone) {
      const job = this.store.get(id)
      if (job) this.events.updated(job)
    }
    return n
  }

  /** Stops the heartbeat; jobs still running here will be found interrupted by the next process. */
  close(): void {
    clearInterval(this.beat)
    this.beat = undefined
  }

  // While this process runs jobs: refresh their heartbeat, act on cancel requests left by other
  // processes, and now and then look for jobs whose owner died.
  private tick(): void {
    if (this.running.size === 0) {
      this.close()
      return
    }
    this.store.heartbeat(this.owner.instance, this.now())
    for (const id of this.store.cancelRequests(this.owner.instance)) this.running.get(id)?.abort.abort(new EdgeError('JOB_CANCELLED'))
    if (++this.beats % RECOVER_EVERY_BEATS === 0) this.recoverInterrupted()
  }

  start(spec: JobSpec, work: (ctx: JobContext) => Promise<void>): Job {
    const job: Job = {
      id: randomUUID(),
      kind: spec.kind,
      title: english(spec.title),
      titleText: asText(spec.title),
      deviceId: spec.deviceId ?? null,
      state: 'running',
      step: null,
      stepText: null,
      owner: { label: this.owner.label, host: this.owner.host, pid: this.owner.pid, alive: true },
      cancelRequestedAt: null,
      percent: null,
      done: 0,
      total: null,
      unit: spec.unit ?? 'items',
      rate: null,
      etaSeconds: null,
      error: null,
      result: null,
      createdAt: this.now(),
      startedAt: this.now(),
      finishedAt: null
    }
    this.store.create(job, this.owner)
    this.events.updated({ ...job })
    const abort = new AbortController()
    const done = this.run(job, abort.signal, work)
    this.running.set(job.id, { abort, done })
    void done.finally(() => this.running.delete(job.id))
    if (!this.beat) {
      this.beat = setInterval(() => this.tick(), HEARTBEAT_MS)
      this.beat.unref()
    }
    return { ...job }
  }

  /**
   * Cancels a job of this process at once. A job of another live process gets a cancel request in
   * the database, which its owner acts on within a second; the job returned then shows the request
   * and its owner. A job whose owner is gone is marked interrupted: it is not running anywhere.
   */
  cancel(id: string): Job {
    const entry = this.running.get(id)
    if (entry) entry.abort.abort(new EdgeError('JOB_CANCELLED'))
    else if (this.store.requestCancel(id, this.now())) this.recoverInterrupted()
    const job = this.store.get(id)
    if (!job) throw new EdgeError('JOB_NOT_FOUND', id)
    return job
  }

  /** Resolves when the job has ended (at once if it already has). */
  async wait(id: string): Promise<Job> {
    const entry = this.running.get(id)
    if (entry) return entry.done
    const job = this.store.get(id)
    if (!job) throw new EdgeError('JOB_NOT_FOUND', id)
    return job
  }

  isRunning(id: string): boolean {
    return this.running.has(id)
  }

  private async run(job: Job, signal: AbortSignal, work: (ctx: JobContext) => Promise<void>): Promise<Job> {
    const secrets: string[] = []
    const redact = (text: string) => secrets.reduce((t, s) => t.split(s).join('***'), text)
    const meter = new RateMeter()
    let seq = 0
    let stepIndex = 0
    let lastEmit = 0
    let trailing: NodeJS.Timeout | undefined

    const publish = (force: boolean) => {
      const t = this.now()
      if (!force && t - lastEmit < PROGRESS_INTERVAL_MS) {
        // Progress that came too soon is sent a little later, not dropped: the last figure before a
        // quiet spell (an upload's one progress line, then seconds on the wire) must reach the UI.
        trailing ??= setTimeout(() => {
          trailing = undefined
          if (job.finishedAt === null) publish(true)
        }, PROGRESS_INTERVAL_MS - (t - lastEmit))
        return
      }
      clearTimeout(trailing)
      trailing = undefined
      lastEmit = t
      this.store.save(job)
      this.events.updated({ ...job })
    }
    const log = (level: JobLogLine['level'], text: string) => {
      const line: JobLogLine = { jobId: job.id, seq: seq++, ts: this.now(), level, text: redact(text) }
      this.store.appendLog(line)
      this.events.log(line)
    }

    const ctx: JobContext = {
      jobId: job.id,
      signal,
      secret: (value) => {
        if (value.length > 0) secrets.push(value)
      },
      log,
      setResult: (value) => {
        job.result = value
      },
      progress: (done, total) => {
        job.done = done
        if (total !== undefined) job.total = total
        job.rate = meter.sample(done, this.now())
        job.etaSeconds = meter.eta(done, job.total)
        job.percent = job.total ? Math.min(100, (done / job.total) * 100) : null
        publish(false)
      },
      step: async (label, fn) => {
        signal.throwIfAborted()
        const index = stepIndex++
        const name = english(label)
        this.store.addStep(job.id, { index, name, text: asText(label), state: 'running', startedAt: this.now(), finishedAt: null })
        job.step = name
        job.stepText = asText(label)
        publish(true)
        log('info', `▶ ${name}`)
        try {
          const result = await fn()
          this.store.finishStep(job.id, index, 'succeeded', this.now())
          return result
        } catch (err) {
          this.store.finishStep(job.id, index, signal.aborted ? 'cancelled' : 'failed', this.now())
          throw err
        }
      }
    }

    let state: JobState = 'succeeded'
    let error: SerializedError | null = null
    try {
      await work(ctx)
      signal.throwIfAborted()
    } catch (err) {
      if (signal.aborted) {
        state = 'cancelled'
        error = serializeError(new EdgeError('JOB_CANCELLED'))
      } else {
        state = 'failed'
        const edge = err instanceof EdgeError ? err : new EdgeError('INTERNAL', redact(String((err as Error)?.message ?? err)))
        error = { ...serializeError(edge), message: redact(edge.message), detail: redact(edge.detail) }
      }
      log(state === 'cancelled' ? 'warn' : 'error', error.message)
    }
    job.state = state
    job.error = error
    job.finishedAt = this.now()
    if (state === 'succeeded' && job.total !== null) job.percent = 100
    job.etaSeconds = null
    publish(true)
    this.events.finished?.({ ...job })
    return { ...job }
  }
}
