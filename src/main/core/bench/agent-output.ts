// Reading what `edgedock-agent bench` prints: progress JSON lines on stderr, and on stdout either
// the one result line or an error line (`usage-error message="…"`, `fatal code=… message="…"`).
// The unit is not trusted: a result is checked for the fields EdgeDock stores before it is used.
import * as z from 'zod'
import type { BenchResult } from '../../../shared/bench-result'
import type { CellStats } from '../../../shared/bench-run'
import { EdgeError } from '../../../shared/errors'

const num = z.number().finite()
const resultShape = z
  .object({
    sha256: z.string().max(64),
    inputDims: z.array(num).max(16),
    runs: z.number().int().min(0),
    stats: z
      .object({ count: num, minMs: num, meanMs: num, stdMs: num, cv: num, p50Ms: num, p90Ms: num, p95Ms: num, p99Ms: num, p999Ms: num, maxMs: num, throughputPerS: num, cpuPercent: num })
      .passthrough()
      .nullable(),
    memory: z.object({ peakRssMb: num, rssGrowthMb: num }).passthrough(),
    accuracy: z.object({ samples: num, correct: num, top1: num }).nullable(),
    valid: z.boolean(),
    invalidReasons: z.array(z.string().max(500)).max(50),
    cancelled: z.boolean(),
    samples: z.array(num).max(10_000_000).nullable()
  })
  .passthrough()

export interface AgentProgress {
  phase: string
  done: number
  total: number
  elapsedMs: number
  minDurationMs?: number
}

/** Feeds stderr chunks; calls `onProgress` for each complete progress line, ignores anything else. */
export function progressParser(onProgress: (p: AgentProgress) => void, onPhase: (phase: string) => void): (chunk: string) => void {
  let pending = ''
  return (chunk) => {
    pending += chunk
    // A unit that never sends a newline must not grow this without bound.
    if (pending.length > 1_000_000) pending = ''
    let nl: number
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl)
      pending = pending.slice(nl + 1)
      let event: unknown
      try {
        event = JSON.parse(line)
      } catch {
        continue
      }
      const e = event as Partial<AgentProgress> & { event?: string }
      if (e.event === 'bench.phase' && typeof e.phase === 'string') onPhase(e.phase)
      if (e.event === 'bench.progress' && typeof e.phase === 'string' && typeof e.done === 'number' && typeof e.total === 'number' && typeof e.elapsedMs === 'number') {
        onProgress({ phase: e.phase, done: e.done, total: e.total, elapsedMs: e.elapsedMs, ...(typeof e.minDurationMs === 'number' ? { minDurationMs: e.minDurationMs } : {}) })
      }
    }
  }
}

/** Seconds left in a phase: the later of the runs still to do and the minimum time still to run. */
export function etaSeconds(p: AgentProgress): number | null {
  if (p.done <= 0 || p.elapsedMs <= 0) return null
  const byRuns = ((p.total - p.done) * p.elapsedMs) / p.done
  const byTime = (p.minDurationMs ?? 0) - p.elapsedMs
  return Math.max(0, Math.round(Math.max(byRuns, byTime) / 1000))
}

function errorLine(stdout: string): { kind: 'usage' | 'fatal'; code: string; message: string } | null {
  const m = /^(usage-error|fatal)(?: code=(\S+))? message=(".*")\s*$/m.exec(stdout)
  if (!m) return null
  let message = m[3] as string
  try {
    message = JSON.parse(message) as string
  } catch {
    // Shown as it came.
  }
  return { kind: m[1] === 'usage-error' ? 'usage' : 'fatal', code: m[2] ?? 'USAGE', message }
}

/** The result line, or an EdgeError in words: a setting the runner refused, a model ORT cannot load, a crash. */
export function parseAgentResult(r: { code: number; stdout: string; stderr: string }, where: string): BenchResult {
  const err = errorLine(r.stdout)
  if (err) {
    if (err.kind === 'usage' && err.message.startsWith('--samples')) throw new EdgeError('BENCH_SAMPLES_MISMATCH', `${where}: ${err.message}`)
    if (err.kind === 'usage') throw new EdgeError('BENCH_SETTING_REFUSED', `${where}: ${err.message}`)
    if (err.code === 'AGENT_BAD_REQUEST' && /^sample /.test(err.message)) throw new EdgeError('BENCH_SAMPLES_MISMATCH', `${where}: ${err.message}`)
    if (err.code === 'AGENT_MODEL_LOAD_FAILED' || /load|session|protobuf|model/i.test(err.message)) throw new EdgeError('BENCH_MODEL_REFUSED', `${where}: ${err.message}`)
    throw new EdgeError('BENCH_FAILED', `${where}: ${err.message}`)
  }
  const line = r.stdout.trim().split('\n').at(-1) ?? ''
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    const tail = (r.stderr.trim().split('\n').at(-1) ?? '').slice(0, 300)
    throw new EdgeError('BENCH_FAILED', `${where}: the runner ended (exit ${r.code}) without a result${tail ? `: ${tail}` : ''}`)
  }
  const parsed = resultShape.safeParse(value)
  if (!parsed.success) throw new EdgeError('BENCH_FAILED', `${where}: the runner's result is not one EdgeDock reads (${parsed.error.issues[0]?.path.join('.') ?? 'shape'})`)
  return parsed.data as unknown as BenchResult
}

/** The short figures of a result, as the CLI's --json and the CSV export name them. */
export function cellStats(r: BenchResult): CellStats | null {
  const s = r.stats
  if (!s) return null
  return {
    runs: s.count,
    p50: s.p50Ms,
    p90: s.p90Ms,
    p95: s.p95Ms,
    p99: s.p99Ms,
    p999: s.p999Ms,
    mean: s.meanMs,
    std: s.stdMs,
    cv: s.cv,
    min: s.minMs,
    max: s.maxMs,
    throughput: s.throughputPerS,
    cpuPercent: s.cpuPercent,
    peakRssMb: r.memory.peakRssMb,
    rssGrowthMb: r.memory.rssGrowthMb,
    valid: r.valid
  }
}
