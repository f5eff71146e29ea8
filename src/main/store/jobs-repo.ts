// Jobs with their steps and log lines. Implements the core's JobStore port.
import type Database from 'better-sqlite3'
import type { Job, JobDetail, JobLogLine, JobState, JobStep, Text } from '../../shared/domain'
import type { OwnerRecord } from '../core/jobs/job-owner'
import type { JobStore, LiveJob } from '../core/jobs/job-store'

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
  title_text: string | null
  step_text: string | null
  owner_host: string | null
  owner_pid: number | null
  owner_started_at: number | null
  owner_instance: string | null
  owner_label: OwnerRecord['label'] | null
  heartbeat_at: number | null
  cancel_requested_at: number | null
}

/** Decides whether a job's owner may still be running it (core/jobs/job-owner's ownerAlive). */
export type OwnerAlive = (owner: OwnerRecord | null, heartbeatAt: number | null) => boolean

const ownerOf = (r: Row): OwnerRecord | null =>
  r.owner_instance && r.owner_label && r.owner_host !== null && r.owner_pid !== null
    ? { label: r.owner_label, host: r.owner_host, pid: r.owner_pid, startedAt: r.owner_started_at, instance: r.owner_instance }
    : null
const parseText = (s: string | null): Text | null => (s ? (JSON.parse(s) as Text) : null)
const textJson = (t: Text | null | undefined) => (t ? JSON.stringify(t) : null)

const toJob = (r: Row, alive: OwnerAlive): Job => {
  const owner = ownerOf(r)
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    titleText: parseText(r.title_text),
    deviceId: r.device_id,
    state: r.state,
    step: r.step,
    stepText: parseText(r.step_text),
    owner: owner && { label: owner.label, host: owner.host, pid: owner.pid, alive: alive(owner, r.heartbeat_at) },
    cancelRequestedAt: r.cancel_requested_at,
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
  }
}

export function createJobsRepo(db: Database.Database, alive: OwnerAlive = () => true): JobStore & {
  list(q: { limit: number; state?: JobState }): Job[]
  detail(id: string): JobDetail | undefined
} {
  const insert = db.prepare(`INSERT INTO jobs (id, kind, title, title_text, device_id, state, step, step_text, percent, done,
    total, unit, rate, eta_seconds, error, result, created_at, started_at, finished_at, owner_host, owner_pid, owner_started_at,
    owner_instance, owner_label, heartbeat_at) VALUES (@id, @kind, @title, @titleText, @deviceId, @state, @step, @stepText,
    @percent, @done, @total, @unit, @rate, @etaSeconds, @error, @result, @createdAt, @startedAt, @finishedAt, @ownerHost,
    @ownerPid, @ownerStartedAt, @ownerInstance, @ownerLabel, @createdAt)`)
  // The owner's own heartbeat goes with every save; the row's state is never moved back from an end.
  const save = db.prepare(`UPDATE jobs SET state = @state, step = @step, step_text = @stepText, percent = @percent,
    done = @done, total = @total, unit = @unit, rate = @rate, eta_seconds = @etaSeconds, error = @error, result = @result,
    started_at = @startedAt, finished_at = @finishedAt, heartbeat_at = @now WHERE id = @id`)
  const get = db.prepare<[string], Row>('SELECT * FROM jobs WHERE id = ?')
  const stepInsert = db.prepare('INSERT INTO job_steps (job_id, idx, name, state, started_at, text) VALUES (?, ?, ?, ?, ?, ?)')
  const stepFinish = db.prepare('UPDATE job_steps SET state = ?, finished_at = ? WHERE job_id = ? AND idx = ?')
  const steps = db.prepare<
    [string],
    { idx: number; name: string; text: string | null; state: JobState; started_at: number; finished_at: number | null }
  >(
    'SELECT * FROM job_steps WHERE job_id = ? ORDER BY idx'
  )
  const logInsert = db.prepare('INSERT INTO job_log (job_id, seq, ts, level, text) VALUES (@jobId, @seq, @ts, @level, @text)')
  const log = db.prepare<[string], { job_id: string; seq: number; ts: number; level: JobLogLine['level']; text: string }>(
    'SELECT * FROM job_log WHERE job_id = ? ORDER BY seq'
  )
  const live = db.prepare<[], Row>(`SELECT * FROM jobs WHERE state IN ('queued', 'running')`)
  const interrupt = db.prepare(`UPDATE jobs SET state = 'interrupted', finished_at = @now, error = @error, eta_seconds = NULL
    WHERE id = @id AND state IN ('queued', 'running')`)
  const interruptSteps = db.prepare(`UPDATE job_steps SET state = 'interrupted', finished_at = @now
    WHERE job_id = @id AND state = 'running'`)
  const beat = db.prepare(`UPDATE jobs SET heartbeat_at = ? WHERE owner_instance = ? AND state IN ('queued', 'running')`)
  const askCancel = db.prepare(`UPDATE jobs SET cancel_requested_at = ? WHERE id = ? AND state IN ('queued', 'running')`)
  const asked = db.prepare<[string], { id: string }>(`SELECT id FROM jobs WHERE owner_instance = ?
    AND cancel_requested_at IS NOT NULL AND state IN ('queued', 'running')`)
  const toRow = (j: Job) => ({
    ...j,
    titleText: textJson(j.titleText),
    stepText: textJson(j.stepText),
    error: j.error ? JSON.stringify(j.error) : null,
    result: j.result === null || j.result === undefined ? null : JSON.stringify(j.result),
    now: Date.now()
  })
  const withAlive = (r: Row) => toJob(r, alive)

  return {
    create: (j, o) =>
      void insert.run({
        ...toRow(j),
        ownerHost: o.host,
        ownerPid: o.pid,
        ownerStartedAt: o.startedAt,
        ownerInstance: o.instance,
        ownerLabel: o.label
      }),
    save: (j) => void save.run(toRow(j)),
    addStep: (jobId, step) => void stepInsert.run(jobId, step.index, step.name, step.state, step.startedAt, textJson(step.text)),
    finishStep: (jobId, index, state, at) => void stepFinish.run(state, at, jobId, index),
    appendLog: (line) => void logInsert.run(line),
    live: (): LiveJob[] => live.all().map((r) => ({ id: r.id, owner: ownerOf(r), heartbeatAt: r.heartbeat_at })),
    markInterrupted(ids, now, error) {
      return db.transaction(() => {
        let n = 0
        for (const id of ids) {
          interruptSteps.run({ id, now })
          n += interrupt.run({ id, now, error: JSON.stringify(error) }).changes
        }
        return n
      })()
    },
    heartbeat: (instance, now) => void beat.run(now, instance),
    requestCancel: (id, now) => askCancel.run(now, id).changes > 0,
    cancelRequests: (instance) => asked.all(instance).map((r) => r.id),
    get: (id) => {
      const r = get.get(id)
      return r && withAlive(r)
    },
    list({ limit, state }) {
      const rows = state
        ? (db.prepare('SELECT * FROM jobs WHERE state = ? ORDER BY created_at DESC LIMIT ?').all(state, limit) as Row[])
        : (db.prepare('SELECT * FROM jobs ORDER BY created_at DESC LIMIT ?').all(limit) as Row[])
      return rows.map(withAlive)
    },
    detail(id) {
      const r = get.get(id)
      if (!r) return undefined
      const s: JobStep[] = steps.all(id).map((x) => ({
        index: x.idx,
        name: x.name,
        text: parseText(x.text),
        state: x.state,
        startedAt: x.started_at,
        finishedAt: x.finished_at
      }))
      const l: JobLogLine[] = log.all(id).map((x) => ({ jobId: x.job_id, seq: x.seq, ts: x.ts, level: x.level, text: x.text }))
      return { ...withAlive(r), steps: s, log: l }
    }
  }
}
