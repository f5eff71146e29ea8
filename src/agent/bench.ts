// `edgedock-agent bench`: load one model, run it N times on a fixed pseudo-random input, print one
// JSON line of latency percentiles and memory. The desktop's benchmark feature parses that line.
import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { intSetting, UsageError, type Flags } from './config'
import type { OrtModule } from './load-ort'
import { MODEL_FILE } from './model-dir'
import { openSession } from './ort-session'
import type { BenchResult } from './protocol'

export interface BenchOptions {
  model: string
  runs: number
  warmup: number
  threads: number
  dims: number[] | null
}

export function benchOptions(flags: Flags, defaultThreads: number): BenchOptions {
  const model = flags.model
  if (typeof model !== 'string') throw new UsageError('bench needs --model <file.onnx or version dir>')
  const dimsFlag = flags.dims
  const dims = typeof dimsFlag === 'string' ? dimsFlag.split(',').map((d) => intSetting(d, 1, '--dims', 1)) : null
  return {
    model,
    runs: intSetting(typeof flags.runs === 'string' ? flags.runs : undefined, 50, '--runs', 1),
    warmup: intSetting(typeof flags.warmup === 'string' ? flags.warmup : undefined, 5, '--warmup', 0),
    threads: intSetting(typeof flags.threads === 'string' ? flags.threads : undefined, defaultThreads, '--threads', 0),
    dims
  }
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)))
  return sorted[rank - 1] as number
}

/** Same input every run and every device, so results compare (xorshift32, values in [0, 1)). */
export function fixedInput(length: number): Float32Array {
  const out = new Float32Array(length)
  let x = 2463534242
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = (x >>> 0) / 4294967296
  }
  return out
}

const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10
const ms3 = (n: number): number => Math.round(n * 1000) / 1000

export async function runBench(ort: OrtModule, options: BenchOptions): Promise<BenchResult> {
  const file = (await stat(options.model)).isDirectory() ? path.join(options.model, MODEL_FILE) : options.model
  const rssBefore = process.memoryUsage().rss
  const bytes = await readFile(file)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const loadStart = performance.now()
  const session = await openSession(ort, bytes, { threads: options.threads })
  const loadMs = performance.now() - loadStart
  try {
    const dims = options.dims ?? (session.inputShape ?? [1]).map((d) => (typeof d === 'number' && d > 0 ? d : 1))
    const input = fixedInput(dims.reduce((n, d) => n * d, 1))
    for (let i = 0; i < options.warmup; i++) await session.run(input, dims)
    const times: number[] = []
    for (let i = 0; i < options.runs; i++) {
      const t0 = performance.now()
      await session.run(input, dims)
      times.push(performance.now() - t0)
    }
    const sorted = [...times].sort((a, b) => a - b)
    return {
      model: path.basename(file),
      sha256,
      inputDims: dims,
      runs: options.runs,
      warmup: options.warmup,
      threads: options.threads,
      loadMs: ms3(loadMs),
      p50Ms: ms3(percentile(sorted, 50)),
      p95Ms: ms3(percentile(sorted, 95)),
      p99Ms: ms3(percentile(sorted, 99)),
      meanMs: ms3(times.reduce((a, b) => a + b, 0) / times.length),
      minMs: ms3(sorted[0] ?? 0),
      maxMs: ms3(sorted[sorted.length - 1] ?? 0),
      rssMb: mb(process.memoryUsage().rss),
      rssBeforeLoadMb: mb(rssBefore),
      runtime: { node: process.version, onnxruntime: ort.env.versions.common, arch: process.arch }
    }
  } finally {
    await session.release()
  }
}
