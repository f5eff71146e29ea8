// Long work runs as a job: it gets an id at once, reports steps and progress (with rate and ETA),
// can be cancelled through its AbortSignal, and is persisted with its steps and log as it goes, so a
// crash or a pulled cable leaves a record that says "interrupted" rather than nothing.
import { randomUUID } from 'node:crypto'
import type { Job, JobLogLine, JobState } from '../../../shared/domain'
import { EdgeError, serializeError, type SerializedError } from '../../../shared/errors'
import type { JobStore } from './job-store'
import { RateMeter } from './rate-meter'

export interface JobContext {
  readonly jobId: string
  readonly signal: AbortSignal
  /** Runs one named step; the job shows it as current and records how it ended. */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>
  progress(done: number, total?: number | null): void
  log(level: JobLogLine['level'], text: string): void
  /** Registers a value (password, token) that must never appear in the job's log. */
  secret(value: string): void
  /** What the job produced; stored with it and sent with its last update. */
  setResult(value: unknown): void
}

export interface JobSpec {
  kind: string
  title: string
  deviceId?: string | null
  unit?: Job['unit']
}

export interface JobEvents {
  updated(job: Job): void
  log(line: JobLogLine): void
  finished?(job: Job): void
}

const PROGRESS_INTERVAL_MS = 250

export class JobRunner {
  private readonly running = new Map<string, { abort: AbortController; done: Promise<Job> }>()

  constructor(
    private readonly store: JobStore,
    private readonly events: JobEvents,
    private readonly now: () => number = Date.now
  ) {}

  /** Called once at start-up: whatever was running when the app stopped is now "interrupted". */
  recoverInterrupted(): number {
    return this.store.markInterrupted(this.now(), serializeError(new EdgeError('JOB_INTERRUPTED')))
  }

  start(spec: JobSpec, work: (ctx: JobContext) => Promise<void>): Job {
    const job: Job = {
      id: randomUUID(),
      kind: spec.kind,
      title: spec.title,
      deviceId: spec.deviceId ?? null,
      state: 'running',
      step: null,
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
    this.store.create(job)
    this.events.updated({ ...job })
    const abort = new AbortController()
    const done = this.run(job, abort.signal, work)
    this.running.set(job.id, { abort, done })
    void done.finally(() => this.running.delete(job.id))
    return { ...job }
  }

  cancel(id: string): Job {
    const entry = this.running.get(id)
    if (entry) entry.abort.abort(new EdgeError('JOB_CANCELLED'))
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
      step: async (name, fn) => {
        signal.throwIfAborted()
        const index = stepIndex++
        this.store.addStep(job.id, { index, name, state: 'running', startedAt: this.now(), finishedAt: null })
        job.step = name
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
