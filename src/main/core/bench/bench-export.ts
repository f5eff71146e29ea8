// Runs as files for a spreadsheet or a script: one CSV row per cell with its figures, or JSON with
// each cell's environment, statistics and raw samples.
import type { BenchCell, BenchRunDetail } from '../../../shared/bench-run'

const COLUMNS = ['run', 'cell', 'created', 'target', 'model', 'sha256', 'threads', 'batch', 'repeat', 'state', 'valid', 'runs', 'p50_ms', 'p90_ms', 'p95_ms', 'p99_ms', 'p999_ms', 'mean_ms', 'std_ms', 'cv', 'min_ms', 'max_ms', 'throughput_per_s', 'cpu_percent', 'peak_rss_mb', 'top1', 'board', 'soc', 'onnxruntime', 'invalid_reasons', 'error'] as const

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed so a spreadsheet does not run it as a formula. */
function csvField(value: unknown): string {
  if (value === null || value === undefined) return ''
  let s = String(value)
  if (/^[=+\-@\t\r]/.test(s) && typeof value === 'string') s = `'${s}`
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function row(run: BenchRunDetail, c: BenchCell): unknown[] {
  const s = c.stats
  const env = c.result?.env
  return [
    run.id,
    c.id,
    new Date(run.createdAt).toISOString(),
    c.target,
    c.model.ref,
    c.model.sha256,
    c.threads,
    c.batch,
    c.repeat,
    c.state,
    c.valid,
    s?.runs,
    s?.p50,
    s?.p90,
    s?.p95,
    s?.p99,
    s?.p999,
    s?.mean,
    s?.std,
    s?.cv,
    s?.min,
    s?.max,
    s?.throughput,
    s?.cpuPercent,
    s?.peakRssMb,
    c.accuracy?.top1,
    env?.board,
    env?.soc.modelName,
    env?.onnxruntime,
    c.invalidReasons.join('; '),
    c.error
  ]
}

export function runsToCsv(runs: readonly BenchRunDetail[]): string {
  const lines = [COLUMNS.join(',')]
  for (const run of runs) for (const c of run.cells) lines.push(row(run, c).map(csvField).join(','))
  return `${lines.join('\r\n')}\r\n`
}

export function runsToJson(runs: readonly BenchRunDetail[], samples: (cellId: string) => number[] | null): string {
  return `${JSON.stringify(
    runs.map((r) => ({ ...r, cells: r.cells.map((c) => ({ ...c, samples: samples(c.id) })) })),
    null,
    2
  )}\n`
}
