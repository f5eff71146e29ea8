// Presets and flags of `edgedock-agent bench`, and the rule that measured runs go on for at least
// N runs AND at least T seconds, checked with a clock the test moves.
import { describe, expect, it } from 'vitest'
import { parseArgs } from '../../../src/agent/config'
import type { Clock } from '../../../src/agent/bench/clock'
import { timedRuns } from '../../../src/agent/bench/measure'
import { benchOptions, PRESETS } from '../../../src/agent/bench/options'
import { progressLines } from '../../../src/agent/bench/progress'

const opts = (line: string, defaultThreads = 0): ReturnType<typeof benchOptions> => benchOptions(parseArgs(line.split(' ').filter(Boolean)).flags, defaultThreads)

describe('benchOptions', () => {
  it('defaults to the quick preset with 10 warm-up runs and raw timings', () => {
    expect(opts('--model m.onnx', 2)).toEqual({
      model: 'm.onnx',
      preset: 'quick',
      headline: 'p50Ms',
      minRuns: 100,
      minDurationS: 10,
      warmup: 10,
      intraOpThreads: 2,
      interOpThreads: 0,
      batch: 1,
      dims: null,
      seed: 0,
      profileOps: false,
      samplesFile: null,
      raw: true
    })
  })

  it('takes the presets, mlperf quoting p90', () => {
    expect(opts('--model m --preset standard')).toMatchObject({ minRuns: 1000, minDurationS: 60, headline: 'p50Ms' })
    expect(opts('--model m --preset mlperf')).toMatchObject({ minRuns: 1024, minDurationS: 600, headline: 'p90Ms' })
    expect(PRESETS.quick).toEqual({ minRuns: 100, minDurationS: 10, headline: 'p50Ms' })
  })

  it('lets each flag override its preset value', () => {
    expect(
      opts('--model m --preset mlperf --runs 30 --duration 1.5 --warmup 0 --threads 4 --inter-threads 2 --batch 8 --seed 7 --profile-ops --samples s.json --no-raw')
    ).toMatchObject({ preset: 'mlperf', headline: 'p90Ms', minRuns: 30, minDurationS: 1.5, warmup: 0, intraOpThreads: 4, interOpThreads: 2, batch: 8, seed: 7, profileOps: true, samplesFile: 's.json', raw: false })
    expect(opts('--model m --raw false').raw).toBe(false)
    expect(opts('--model m --raw').raw).toBe(true)
    expect(opts('--model m --dims 2,1,8,8').dims).toEqual([2, 1, 8, 8])
  })

  it('refuses bad values with one sentence naming the flag', () => {
    expect(() => opts('--runs 5')).toThrow('bench needs --model <file.onnx or version dir>')
    expect(() => opts('--model m --runs abc')).toThrow('--runs must be an integer >= 1, got "abc"')
    expect(() => opts('--model m --runs 0')).toThrow('--runs must be an integer >= 1')
    expect(() => opts('--model m --runs')).toThrow('--runs needs a value')
    expect(() => opts('--model m --threads 300')).toThrow('--threads must be between 0 and 256, got 300')
    expect(() => opts('--model m --inter-threads -1')).toThrow('--inter-threads must be an integer >= 0, got "-1"')
    expect(() => opts('--model m --duration -2')).toThrow('--duration must be a number of seconds >= 0')
    expect(() => opts('--model m --duration soon')).toThrow('--duration must be a number of seconds >= 0')
    expect(() => opts('--model m --preset fast')).toThrow('--preset must be one of quick, standard, mlperf, got "fast"')
    expect(() => opts('--model m --batch 0')).toThrow('--batch must be an integer >= 1')
    expect(() => opts('--model m --samples')).toThrow('--samples needs a JSON file {inputs, labels}')
    expect(() => opts('--model m --profile-ops maybe')).toThrow('--profile-ops takes no value')
    expect(() => opts('--model m --seed 4294967296')).toThrow('--seed must be at most 4294967295')
  })
})

/** A clock that moves only when a fake inference says so. */
function fakeClock(): Clock & { advance(ms: number): void } {
  let t = 1000
  return { now: () => t, advance: (ms) => void (t += ms) }
}

describe('timedRuns: at least N runs AND at least T', () => {
  const run100ms = (clock: ReturnType<typeof fakeClock>) => async (): Promise<void> => clock.advance(100)

  it('goes on past N runs until T has passed', async () => {
    const clock = fakeClock()
    const r = await timedRuns(run100ms(clock), { minRuns: 5, minDurationMs: 1000, clock })
    expect(r).toEqual({ samplesMs: Array(10).fill(100), wallMs: 1000, cancelled: false })
  })

  it('goes on past T until N runs are done', async () => {
    const clock = fakeClock()
    const r = await timedRuns(run100ms(clock), { minRuns: 20, minDurationMs: 1000, clock })
    expect(r.samplesMs).toHaveLength(20)
    expect(r.wallMs).toBe(2000)
  })

  it('with no duration runs exactly N, with no runs left stops at once', async () => {
    const clock = fakeClock()
    expect((await timedRuns(run100ms(clock), { minRuns: 3, minDurationMs: 0, clock })).samplesMs).toHaveLength(3)
    expect((await timedRuns(run100ms(clock), { minRuns: 0, minDurationMs: 0, clock })).samplesMs).toHaveLength(0)
  })

  it('times each run on its own', async () => {
    const clock = fakeClock()
    const r = await timedRuns(async (i) => clock.advance(i + 1), { minRuns: 4, minDurationMs: 0, clock })
    expect(r.samplesMs).toEqual([1, 2, 3, 4])
  })

  it('stops after the run in flight when aborted and keeps what it measured', async () => {
    const clock = fakeClock()
    const controller = new AbortController()
    const r = await timedRuns(
      async (i) => {
        clock.advance(100)
        if (i === 3) controller.abort()
      },
      { minRuns: 1000, minDurationMs: 60_000, clock, signal: controller.signal }
    )
    expect(r).toEqual({ samplesMs: [100, 100, 100, 100], wallMs: 400, cancelled: true })
  })
})

describe('progress lines', () => {
  it('prints at most one JSON line per 500 ms', async () => {
    const clock = fakeClock()
    const lines: string[] = []
    const progress = progressLines((l) => lines.push(l), clock)
    await timedRuns(async () => clock.advance(100), {
      minRuns: 11,
      minDurationMs: 0,
      clock,
      onRun: (done, elapsedMs) => progress.report({ phase: 'measure', done, total: 11, elapsedMs, minDurationMs: 0 })
    })
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { event: 'bench.progress', phase: 'measure', done: 1, total: 11, elapsedMs: 100, minDurationMs: 0 },
      { event: 'bench.progress', phase: 'measure', done: 6, total: 11, elapsedMs: 600, minDurationMs: 0 },
      { event: 'bench.progress', phase: 'measure', done: 11, total: 11, elapsedMs: 1100, minDurationMs: 0 }
    ])
  })
})
