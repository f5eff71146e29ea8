// `edgedock-agent bench` from the built bundle on this machine, with the real onnxruntime-node and
// the digits CNN: consistent statistics, accuracy equal to what ONNX Runtime gives here, a
// per-operator profile, a cancelled run that still reports, and one-line errors for bad input.
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BenchResult } from '../../../src/agent/protocol'
import { tempDir } from '../../helpers/temp-dir'
import { agentBundle, digitsModel, digitsSamples, ensureAgentBuilt, ortDir, readDigits } from './agent-process'

interface BenchRun {
  code: number | null
  stdout: string
  stderr: string
  /** performance.now() when the process had exited and closed its pipes. */
  closedAt: number
}

/** Runs the bench; `onStderr` sees each stderr line as it comes (the progress events). */
function bench(args: string[], onStderr?: (line: string, child: ReturnType<typeof spawn>) => void): Promise<BenchRun> {
  const child = spawn(process.execPath, [agentBundle, 'bench', '--model', digitsModel, '--threads', '1', ...args], {
    env: { ...process.env, EDGEDOCK_ORT_DIR: ortDir },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  let pending = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8')
    pending += chunk.toString('utf8')
    let nl: number
    while ((nl = pending.indexOf('\n')) >= 0) {
      onStderr?.(pending.slice(0, nl), child)
      pending = pending.slice(nl + 1)
    }
  })
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr, closedAt: performance.now() })))
}

function result(run: BenchRun): BenchResult {
  expect(run.stdout.trim().split('\n'), 'exactly one line on stdout').toHaveLength(1)
  return JSON.parse(run.stdout) as BenchResult
}

describe('edgedock-agent bench (this machine, digits CNN)', () => {
  const tmp = tempDir('edgedock-bench-')
  beforeAll(() => ensureAgentBuilt())
  afterAll(() => tmp.cleanup())

  it('runs at least N runs and at least T seconds with consistent statistics', async () => {
    const run = await bench(['--preset', 'quick', '--runs', '30', '--duration', '1'])
    expect(run.code).toBe(0)
    const r = result(run)
    const s = r.stats
    if (!s) throw new Error('no stats')
    expect(r.runs).toBeGreaterThanOrEqual(30)
    expect(r.phases.measure.ms).toBeGreaterThanOrEqual(1000)
    expect(s.count).toBe(r.runs)
    expect(r.samples).toHaveLength(r.runs)
    expect(s.minMs).toBeLessThanOrEqual(s.p50Ms)
    expect(s.p50Ms).toBeLessThanOrEqual(s.p90Ms)
    expect(s.p90Ms).toBeLessThanOrEqual(s.p95Ms)
    expect(s.p95Ms).toBeLessThanOrEqual(s.p99Ms)
    expect(s.p99Ms).toBeLessThanOrEqual(s.p999Ms)
    expect(s.p999Ms).toBeLessThanOrEqual(s.maxMs)
    expect(s.minMs).toBe(Math.min(...(r.samples ?? [])))
    expect(s.maxMs).toBe(Math.max(...(r.samples ?? [])))
    expect(s.headline).toEqual({ metric: 'p50Ms', ms: s.p50Ms })
    expect(s.throughputPerS).toBeGreaterThan(0)
    expect(s.cpuPercent).toBeGreaterThan(0)
    expect(r).toMatchObject({
      valid: true,
      cancelled: false,
      invalidReasons: [],
      inputDims: [1, 1, 8, 8],
      warmup: 10,
      settings: { preset: 'quick', minRuns: 30, minDurationS: 1, warmup: 10, batch: 1 },
      env: { executionProvider: 'cpu', onnxruntime: '1.30.0', intraOpThreads: 1, graphOptimizationLevel: 'all', node: process.version },
      phases: { warmup: { runs: 10 } },
      profile: null,
      accuracy: null
    })
    expect(r.phases.sessionCreateMs).toBeGreaterThan(0)
    expect(r.phases.firstInferenceMs).toBeGreaterThan(0)
    expect(r.memory.peakRssMb).toBeGreaterThanOrEqual(r.memory.rssAfterMb)
    expect(r.monitor.timeline.length).toBeGreaterThanOrEqual(2)
    const progress = run.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; phase: string; done?: number; total?: number; elapsedMs?: number })
    const measure = progress.filter((p) => p.event === 'bench.progress' && p.phase === 'measure')
    expect(measure.length).toBeGreaterThanOrEqual(1)
    expect(measure[0]).toMatchObject({ total: 30, done: expect.any(Number), elapsedMs: expect.any(Number) })
  })

  it('reports top-1 accuracy over a sample set equal to ONNX Runtime on the host', async () => {
    const { inputs, labels } = await readDigits()
    const session = await ort.InferenceSession.create(digitsModel)
    let correct = 0
    try {
      for (const [i, row] of inputs.entries()) {
        const out = await session.run({ [session.inputNames[0] as string]: new ort.Tensor('float32', Float32Array.from(row), [1, 1, 8, 8]) })
        const logits = Array.from(out[session.outputNames[0] as string]?.data as Float32Array)
        if (logits.indexOf(Math.max(...logits)) === labels[i]) correct++
      }
    } finally {
      await session.release()
    }
    const run = await bench(['--runs', '30', '--duration', '0', '--samples', digitsSamples, '--batch', '4'])
    expect(run.code).toBe(0)
    const r = result(run)
    expect(r.accuracy).toEqual({ samples: 100, correct, top1: correct / 100 })
    expect(r.inputDims).toEqual([4, 1, 8, 8])
    expect(r.stats?.throughputPerS).toBeCloseTo((4 * r.runs * 1000) / r.phases.measure.ms, 0)
  })

  it('profiles per operator with --profile-ops', async () => {
    const run = await bench(['--runs', '20', '--duration', '0', '--profile-ops'])
    expect(run.code).toBe(0)
    const profile = result(run).profile
    if (!profile?.available) throw new Error(`no profile: ${JSON.stringify(profile)}`)
    expect(profile.runs).toBe(20)
    expect(profile.topOpTypes.map((e) => e.name)).toContain('Conv')
    expect(profile.topNodes.length).toBeGreaterThan(0)
    expect(profile.topOpTypes.reduce((n, e) => n + e.percent, 0)).toBeCloseTo(100, 0)
  })

  it('stops within a second of SIGINT and prints the partial result marked cancelled', async () => {
    let signalledAt = 0
    let measureLines = 0
    // The second progress line of the measured phase comes about 500 ms into it: well inside the run.
    const run = await bench(['--runs', '1000000', '--duration', '60'], (line, child) => {
      if (line.includes('"bench.progress"') && line.includes('"phase":"measure"') && ++measureLines === 2) {
        signalledAt = performance.now()
        child.kill('SIGINT')
      }
    })
    expect(signalledAt).toBeGreaterThan(0)
    expect(run.closedAt - signalledAt).toBeLessThan(1000)
    const r = result(run)
    expect(run.code).toBe(130)
    expect(r.cancelled).toBe(true)
    expect(r.valid).toBe(false)
    expect(r.invalidReasons).toContain('cancelled before the run finished')
    expect(r.runs).toBeGreaterThan(0)
    expect(r.stats?.count).toBe(r.runs)
    expect(r.samples).toHaveLength(r.runs)
  })

  it('refuses bad input with one line, a non-zero exit and no stack trace', async () => {
    const broken = path.join(tmp.dir, 'broken.onnx')
    await writeFile(broken, 'not a model')
    const wrongShape = path.join(tmp.dir, 'wrong-shape.json')
    await writeFile(wrongShape, JSON.stringify({ inputs: [[1, 2, 3]], labels: [0] }))
    const cases: [string[], RegExp][] = [
      [['--model', broken], /^fatal code=AGENT_MODEL_LOAD_FAILED message="ONNX Runtime could not load the model: .+"$/],
      [['--samples', wrongShape, '--duration', '0'], /^fatal code=AGENT_BAD_REQUEST message="sample 0 has 3 values but the model input \[N,1,8,8\] takes 64 per sample"$/],
      [['--threads', '1000'], /^usage-error message="--threads must be between 0 and 256, got 1000"$/],
      [['--threads', '-4'], /^usage-error message="threads must be an integer >= 0, got \\"-4\\""$/],
      [['--runs', 'many'], /^usage-error message="--runs must be an integer >= 1, got \\"many\\""$/]
    ]
    const runs = await Promise.all(cases.map(([args]) => bench(args)))
    runs.forEach((run, i) => {
      const [args, pattern] = cases[i] as [string[], RegExp]
      expect(run.code, args.join(' ')).not.toBe(0)
      expect(run.stdout.trim(), args.join(' ')).toMatch(pattern)
      expect(run.stdout + run.stderr, args.join(' ')).not.toMatch(/\n\s+at /)
    })
  })
})
