// `edgedock-agent bench`: load one model and time it phase by phase (read, session, first inference,
// warm-up, measured runs), with the unit's environment, its temperature and throttling during the
// run, and optionally accuracy over a sample set and a per-operator profile. Progress goes to stderr
// as JSON lines; the result is one JSON line on stdout, which the desktop parses.
import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { UsageError } from './config'
import type { OrtModule } from './load-ort'
import { MODEL_FILE } from './model-dir'
import type { BenchPhaseTimes, BenchResult, BenchSettings } from './protocol'
import { topOneAccuracy } from './bench/accuracy'
import { systemClock, type Clock } from './bench/clock'
import { runCommand, type CommandRunner } from './bench/command-runner'
import { readEnvironment } from './bench/environment'
import { buildFeeds } from './bench/feeds'
import { benchDims, checkSampleShape, loadSampleSet } from './bench/inputs'
import type { BenchOptions } from './bench/options'
import { PROFILE_RUNS, profileOps } from './bench/profile-ops'
import { progressLines } from './bench/progress'
import { benchStats, memory, mb, msRound } from './bench/result'
import { createBenchSession, runFailed, type OrtTensor } from './bench/session'
import { runTimedPhases, type TimedPhases } from './bench/timed-phases'

export { benchOptions, type BenchOptions } from './bench/options'

export interface BenchDeps {
  /** Aborting stops the runs after the one in flight; the result so far comes back marked cancelled. */
  signal?: AbortSignal
  clock?: Clock
  /** Where /proc, /sys and /etc are read from. */
  root?: string
  run?: CommandRunner
  /** Progress lines (JSON), stderr by default. */
  progress?: (line: string) => void
}

async function modelFile(model: string): Promise<string> {
  try {
    return (await stat(model)).isDirectory() ? path.join(model, MODEL_FILE) : model
  } catch {
    throw new UsageError(`--model ${model}: no such file or directory`)
  }
}

function settingsOf(options: BenchOptions, batch: number): BenchSettings {
  const { preset, minRuns, minDurationS, warmup, seed, intraOpThreads, interOpThreads, profileOps, samplesFile, raw } = options
  return { preset, minRuns, minDurationS, warmup, batch, seed, intraOpThreads, interOpThreads, profileOps, samplesFile, raw }
}

function phaseTimes(modelReadMs: number, sessionCreateMs: number, timed: TimedPhases, accuracyMs: number | null, profileMs: number | null): BenchPhaseTimes {
  const loop = (l: { samplesMs: readonly number[]; wallMs: number } | null): { runs: number; ms: number } => ({ runs: l?.samplesMs.length ?? 0, ms: msRound(l?.wallMs ?? 0) })
  return {
    modelReadMs: msRound(modelReadMs),
    sessionCreateMs: msRound(sessionCreateMs),
    firstInferenceMs: msRound(timed.firstInferenceMs ?? 0),
    warmup: loop(timed.warmup),
    measure: loop(timed.measured),
    accuracyMs: accuracyMs === null ? null : msRound(accuracyMs),
    profileMs: profileMs === null ? null : msRound(profileMs)
  }
}

export async function runBench(ort: OrtModule, options: BenchOptions, deps: BenchDeps = {}): Promise<BenchResult> {
  const clock = deps.clock ?? systemClock
  const { signal } = deps
  const root = deps.root ?? '/'
  const run = deps.run ?? runCommand
  const progress = progressLines(deps.progress ?? ((line) => process.stderr.write(`${line}\n`)), clock)
  const threads = { intraOpThreads: options.intraOpThreads, interOpThreads: options.interOpThreads }
  const elapsed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const t0 = clock.now()
    const value = await work()
    return [value, clock.now() - t0]
  }

  const file = await modelFile(options.model)
  const set = options.samplesFile ? await loadSampleSet(options.samplesFile) : null
  const env = await readEnvironment({ root, run }, { onnxruntime: ort.env.versions.common, ...threads })
  const rssBefore = process.memoryUsage().rss
  const [bytes, modelReadMs] = await elapsed(() => readFile(file))
  const [session, sessionCreateMs] = await elapsed(() => createBenchSession(ort, bytes, threads))

  let dims: number[]
  let timed: TimedPhases
  let rssAfter: number
  let accuracy: BenchResult['accuracy'] = null
  let accuracyMs: number | null = null
  try {
    dims = benchDims(session.inputShape, options.batch, options.dims)
    if (set) checkSampleShape(set, dims, session.inputShape)
    const feeds = buildFeeds(session, dims, options.seed, set)
    const runs = feeds.map((feed) => session.timedRun(feed))
    const runOnce = (i: number) => (runs[i % runs.length] as () => Promise<unknown>)()
    timed = await runTimedPhases(runOnce, options, { clock, signal, root, run, progress }).catch((err: unknown) => {
      throw runFailed(err)
    })
    rssAfter = process.memoryUsage().rss
    if (set && !timed.cancelled) {
      progress.phase('accuracy')
      ;[accuracy, accuracyMs] = await elapsed(() => topOneAccuracy(session, set, dims, signal))
    }
  } finally {
    await session.release()
  }
  // A signal after the measured phase stops the accuracy or profile pass; the timings still stand.
  let cancelled = timed.cancelled || (signal?.aborted ?? false)

  let profile: BenchResult['profile'] = null
  let profileMs: number | null = null
  if (options.profileOps && !cancelled) {
    progress.phase('profile')
    const measuredRuns = timed.measured?.samplesMs.length ?? 0
    ;[profile, profileMs] = await elapsed(() =>
      profileOps({ ort, bytes, session: threads, feed: (s) => buildFeeds(s, dims, options.seed, set)[0] as OrtTensor, runs: Math.min(PROFILE_RUNS, Math.max(1, measuredRuns)), signal })
    )
    cancelled ||= signal?.aborted ?? false
  }

  const samples = timed.measured?.samplesMs ?? []
  const batch = dims[0] ?? options.batch
  const stats = timed.measured ? benchStats(options, batch, timed.measured) : null
  const mem = memory(rssBefore, rssAfter, process.resourceUsage().maxRSS)
  const phases = phaseTimes(modelReadMs, sessionCreateMs, timed, accuracyMs, profileMs)
  const invalidReasons = [...(cancelled ? ['cancelled before the run finished'] : []), ...timed.monitor.invalidReasons]
  return {
    model: path.basename(file),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    inputDims: dims,
    runs: samples.length,
    warmup: phases.warmup.runs,
    threads: options.intraOpThreads,
    loadMs: phases.sessionCreateMs,
    p50Ms: stats?.p50Ms ?? 0,
    p95Ms: stats?.p95Ms ?? 0,
    p99Ms: stats?.p99Ms ?? 0,
    meanMs: stats?.meanMs ?? 0,
    minMs: stats?.minMs ?? 0,
    maxMs: stats?.maxMs ?? 0,
    rssMb: mb(rssAfter),
    rssBeforeLoadMb: mem.rssBeforeLoadMb,
    runtime: { node: process.version, onnxruntime: ort.env.versions.common, arch: process.arch },
    settings: settingsOf(options, batch),
    env,
    phases,
    stats,
    memory: mem,
    monitor: timed.monitor.monitor,
    profile,
    accuracy,
    valid: invalidReasons.length === 0,
    invalidReasons,
    warnings: timed.monitor.warnings,
    cancelled,
    samples: options.raw ? samples.map(msRound) : null
  }
}
