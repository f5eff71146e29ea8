// Jobs with their steps and log lines. Implements the core's JobStore port.
import type Database from 'better-sqlite3'
import type { Job, JobDetail, JobLogLine, JobState, JobStep } from '../../shared/domain'
import type { JobStore } from '../core/jobs/job-store'

interface Row {
  id: string
  kind: string
  title: string
  device_id: string | null
  state: JobState
  step: string | null
  percent: number | null
  done: number
  total: number | null
  unit: Job['unit']
  rate: number | null
  eta_seconds: number | null
  error: string | null
  result: string | null
  created_at: number
  started_at: number | null
  finished_at: number | null
}

const toJob = (r: Row): Job => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  deviceId: r.device_id,
  state: r.state,
  step: r.step,
  percent: r.percent,
  done: r.done,
  total: r.total,
  unit: r.unit,
  rate: r.rate,
  etaSeconds: r.eta_seconds,
  error: r.error ? (JSON.parse(r.error) as Job['error']) : null,
  result: r.result ? (JSON.parse(r.result) as unknown) : null,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at
})

export function createJobsRepo(db: Database.Database): JobStore & {
  list(q: { limit: number; state?: JobState }): Job[]
  detail(id: string): JobDetail | undefined
} {
  const insert = db.prepare(`INSERT INTO jobs (id, kind, title, device_id, state, step, percent, done, total, unit, rate,
    eta_seconds, error, result, created_at, started_at, finished_at) VALUES (@id, @kind, @title, @deviceId, @state, @step,
    @percent, @done, @total, @unit, @rate, @etaSeconds, @error, @result, @createdAt, @startedAt, @finishedAt)`)
  const save = db.prepare(`UPDATE jobs SET state = @state, step = @step, percent = @percent, done = @done, total = @total,
    unit = @unit, rate = @rate, eta_seconds = @etaSeconds, error = @error, result = @result, started_at = @startedAt,
    finished_at = @finishedAt WHERE id = @id`)
  const get = db.prepare<[string], Row>('SELECT * FROM jobs WHERE id = ?')
  const stepInsert = db.prepare('INSERT INTO job_steps (job_id, idx, name, state, started_at) VALUES (?, ?, ?, ?, ?)')
  const stepFinish = db.prepare('UPDATE job_steps SET state = ?, finished_at = ? WHERE job_id = ? AND idx = ?')
  const steps = db.prepare<[string], { idx: number; name: string; state: JobState; started_at: number; finished_at: number | null }>(
    'SELECT * FROM job_steps WHERE job_id = ? ORDER BY idx'
  )
  const logInsert = db.prepare('INSERT INTO job_log (job_id, seq, ts, level, text) VALUES (@jobId, @seq, @ts, @level, @text)')
  const log = db.prepare<[string], { job_id: string; seq: number; ts: number; level: JobLogLine['level']; text: string }>(
    'SELECT * FROM job_log WHERE job_id = ? ORDER BY seq'
  )
  const interrupt = db.prepare(`UPDATE jobs SET state = 'interrupted', finished_at = @now, error = @error
    WHERE state IN ('queued', 'running')`)
  const interruptSteps = db.prepare(`UPDATE job_steps SET state = 'interrupted', finished_at = @now
    WHERE state = 'running'`)
  const toRow = (j: Job) => ({
    ...j,
    error: j.error ? JSON.stringify(j.error) : null,
    result: j.result === null || j.result === undefined ? null : JSON.stringify(j.result)
  })

  return {
    create: (j) => void insert.run(toRow(j)),
    save: (j) => void save.run(toRow(j)),
    addStep: (jobId, step) => void stepInsert.run(jobId, step.index, step.name, step.state, step.startedAt),
    finishStep: (jobId, index, state, at) => void stepFinish.run(state, at, jobId, index),
    appendLog: (line) => void logInsert.run(line),
    markInterrupted(now, error) {
      return db.transaction(() => {
        interruptSteps.run({ now })
        return interrupt.run({ now, error: JSON.stringify(error) }).changes
      })()
    },
    get: (id) => {
      const r = get.get(id)
      return r && toJob(r)
    },
    list({ limit, state }) {
      const rows = state
        ? (db.prepare('SELECT * FROM jobs WHERE state = ? ORDER BY created_at DESC LIMIT ?').all(state, limit) as Row[])
        : (db.prepare('SELECT * FROM jobs ORDER BY created_at DESC LIMIT ?').all(limit) as Row[])
      return rows.map(toJob)
    },
    detail(id) {
      const r = get.get(id)
      if (!r) return undefined
      const s: JobStep[] = steps.all(id).map((x) => ({
        index: x.idx,
        name: x.name,
        state: x.state,
        startedAt: x.started_at,
        finishedAt: x.finished_at
      }))
      const l: JobLogLine[] = log.all(id).map((x) => ({ jobId: x.job_id, seq: x.seq, ts: x.ts, level: x.level, text: x.text }))
      return { ...toJob(r), steps: s, log: l }
    }
  }
}
