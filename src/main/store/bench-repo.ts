// Benchmark runs and cells. A cell row is written when the matrix is planned (pending), then as it
// starts, progresses and ends, so a cancelled or crashed run keeps every cell it finished.
import type Database from 'better-sqlite3'
import type { BenchCell, BenchRun, BenchRunDetail, CellStats } from '../../shared/bench-run'
import type { BenchPreset } from '../../shared/bench-result'

interface RunRow {
  id: string
  job_id: string
  created_at: number
  who: string
  label: string | null
  preset: BenchPreset
  request: string
  cell_count: number
  done: number
  failed: number
}

interface CellRow {
  id: string
  run_id: string
  idx: number
  target: string
  device_id: string | null
  model_ref: string
  model_name: string
  model_version: string
  model_sha256: string
  threads: number
  batch: number
  repeat: number
  state: BenchCell['state']
  error: string | null
  progress: string | null
  stats: string | null
  accuracy: string | null
  valid: number
  invalid_reasons: string
  result: string | null
  started_at: number | null
  finished_at: number | null
}

export interface NewBenchRun {
  id: string
  jobId: string
  who: string
  label: string | null
  preset: BenchPreset
  /** What was asked, without secrets: targets, models and settings as the caller gave them. */
  request: { targets: string[]; models: string[] } & Record<string, unknown>
  cells: Omit<BenchCell, 'runId' | 'state' | 'error' | 'progress' | 'stats' | 'accuracy' | 'valid' | 'invalidReasons' | 'startedAt' | 'finishedAt' | 'result'>[]
}

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T))

function toCell(r: CellRow): BenchCell {
  return {
    id: r.id,
    runId: r.run_id,
    index: r.idx,
    target: r.target,
    deviceId: r.device_id,
    model: { ref: r.model_ref, name: r.model_name, version: r.model_version, sha256: r.model_sha256 },
    threads: r.threads,
    batch: r.batch,
    repeat: r.repeat,
    state: r.state,
    error: r.error,
    progress: json(r.progress),
    stats: json<CellStats>(r.stats),
    accuracy: json(r.accuracy),
    valid: r.valid === 1,
    invalidReasons: json<string[]>(r.invalid_reasons) ?? [],
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    result: json(r.result)
  }
}

function toRun(r: RunRow): BenchRun {
  const request = JSON.parse(r.request) as NewBenchRun['request']
  return {
    id: r.id,
    jobId: r.job_id,
    createdAt: r.created_at,
    who: r.who,
    label: r.label,
    preset: r.preset,
    targets: request.targets,
    models: request.models,
    cellCount: r.cell_count,
    done: r.done,
    failed: r.failed
  }
}

const RUN_SELECT = `SELECT r.*, COUNT(c.id) AS cell_count,
  COALESCE(SUM(c.state = 'done'), 0) AS done, COALESCE(SUM(c.state = 'failed'), 0) AS failed
  FROM bench_runs r LEFT JOIN bench_cells c ON c.run_id = r.id`

export type CellUpdate = Partial<Pick<BenchCell, 'state' | 'error' | 'progress' | 'stats' | 'accuracy' | 'valid' | 'invalidReasons' | 'startedAt' | 'finishedAt' | 'result'>>

export function createBenchRepo(db: Database.Database) {
  const insertRun = db.prepare(`INSERT INTO bench_runs (id, job_id, created_at, who, label, preset, request)
    VALUES (@id, @jobId, @createdAt, @who, @label, @preset, @request)`)
  const insertCell = db.prepare(`INSERT INTO bench_cells (id, run_id, idx, target, device_id, model_ref, model_name, model_version, model_sha256, threads, batch, repeat, state)
    VALUES (@id, @runId, @index, @target, @deviceId, @ref, @name, @version, @sha256, @threads, @batch, @repeat, 'pending')`)
  const cellById = db.prepare('SELECT * FROM bench_cells WHERE id = ?')
  const putSamples = db.prepare('INSERT OR REPLACE INTO bench_samples (cell_id, count, samples) VALUES (?, ?, ?)')
  const getSamples = db.prepare('SELECT samples FROM bench_samples WHERE cell_id = ?')

  return {
    createRun(run: NewBenchRun, createdAt = Date.now()): void {
      db.transaction(() => {
        insertRun.run({ id: run.id, jobId: run.jobId, createdAt, who: run.who, label: run.label, preset: run.preset, request: JSON.stringify(run.request) })
        for (const c of run.cells) insertCell.run({ ...c, ...c.model, runId: run.id })
      })()
    },

    updateCell(id: string, u: CellUpdate): BenchCell | null {
      const sets: string[] = []
      const args: Record<string, unknown> = { id }
      const put = (column: string, value: unknown) => {
        sets.push(`${column} = @${column}`)
        args[column] = value
      }
      if (u.state !== undefined) put('state', u.state)
      if (u.error !== undefined) put('error', u.error)
      if (u.progress !== undefined) put('progress', u.progress === null ? null : JSON.stringify(u.progress))
      if (u.stats !== undefined) put('stats', u.stats === null ? null : JSON.stringify(u.stats))
      if (u.accuracy !== undefined) put('accuracy', u.accuracy === null ? null : JSON.stringify(u.accuracy))
      if (u.valid !== undefined) put('valid', u.valid ? 1 : 0)
      if (u.invalidReasons !== undefined) put('invalid_reasons', JSON.stringify(u.invalidReasons))
      if (u.startedAt !== undefined) put('started_at', u.startedAt)
      if (u.finishedAt !== undefined) put('finished_at', u.finishedAt)
      if (u.result !== undefined) put('result', u.result === null ? null : JSON.stringify(u.result))
      if (sets.length > 0) db.prepare(`UPDATE bench_cells SET ${sets.join(', ')} WHERE id = @id`).run(args)
      const row = cellById.get(id) as CellRow | undefined
      return row ? toCell(row) : null
    },

    /** Cells a dead process left pending or running: they will not finish. */
    abandonCells(runId: string, error: string): void {
      db.prepare(`UPDATE bench_cells SET state = 'cancelled', error = ?, progress = NULL WHERE run_id = ? AND state IN ('pending', 'running')`).run(error, runId)
    },

    saveSamples(cellId: string, samplesMs: readonly number[]): void {
      putSamples.run(cellId, samplesMs.length, Buffer.from(new Float64Array(samplesMs).buffer))
    },

    samples(cellId: string): number[] | null {
      const row = getSamples.get(cellId) as { samples: Buffer } | undefined
      if (!row) return null
      const b = row.samples
      return Array.from(new Float64Array(b.buffer, b.byteOffset, Math.floor(b.byteLength / 8)))
    },

    list(q: { limit: number; target?: string | undefined }): BenchRun[] {
      const where = q.target ? 'WHERE r.id IN (SELECT run_id FROM bench_cells WHERE target = @target OR device_id = @target)' : ''
      return (db.prepare(`${RUN_SELECT} ${where} GROUP BY r.id ORDER BY r.created_at DESC, r.id LIMIT @limit`).all({ limit: q.limit, target: q.target }) as RunRow[]).map(toRun)
    },

    /** Runs whose id starts with `prefix` (at most `max`). */
    findRuns(prefix: string, max = 2): BenchRun[] {
      const rows = db.prepare(`${RUN_SELECT} WHERE r.id >= @p AND r.id < @p || char(1114111) GROUP BY r.id LIMIT @max`).all({ p: prefix, max }) as RunRow[]
      return rows.map(toRun)
    },

    findCells(prefix: string, max = 2): BenchCell[] {
      return (db.prepare(`SELECT * FROM bench_cells WHERE id >= @p AND id < @p || char(1114111) LIMIT @max`).all({ p: prefix, max }) as CellRow[]).map(toCell)
    },

    get(runId: string): BenchRunDetail | null {
      const run = db.prepare(`${RUN_SELECT} WHERE r.id = ? GROUP BY r.id`).get(runId) as RunRow | undefined
      if (!run) return null
      const cells = (db.prepare('SELECT * FROM bench_cells WHERE run_id = ? ORDER BY idx').all(runId) as CellRow[]).map(toCell)
      return { ...toRun(run), cells }
    },

    runOfJob(jobId: string): string | null {
      const row = db.prepare('SELECT id FROM bench_runs WHERE job_id = ?').get(jobId) as { id: string } | undefined
      return row?.id ?? null
    }
  }
}

export type BenchRepo = ReturnType<typeof createBenchRepo>
