// Benchmarks through the contract on this machine (the `host` target runs the same agent bundle
// a unit runs): a sweep stores consistent statistics and raw samples per cell, accuracy on the
// digits set equals ONNX Runtime's own, a cell with an absurd thread count fails in words while
// the others run, a cancel keeps what was measured, and compare and export read the stored runs.
import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { directClient } from '../../../src/main/api/dispatch'
import { createApp, type EdgeDockApp } from '../../../src/main/app/create-app'
import { closedPort } from '../../helpers/banner-server'
import { tempDir } from '../../helpers/temp-dir'
import { ensureAgentBuilt, repoRoot } from '../agent/agent-process'

describe('benchmarks on this computer', () => {
  const tmp = tempDir('edgedock-bench-host-')
  let app: EdgeDockApp
  let call: ReturnType<typeof directClient>

  beforeAll(async () => {
    ensureAgentBuilt()
    app = createApp({ dataDir: tmp.dir, resourcesDir: path.join(repoRoot, 'resources') })
    call = directClient(app.dispatch)
    await call('models.import', { file: { path: path.join(repoRoot, 'resources/models/digits_cnn_fp32.onnx') }, name: 'digits', version: '1' })
  }, 60_000)
  afterAll(() => {
    app.close()
    rmSync(tmp.dir, { recursive: true, force: true })
  })

  it('a threads × batch sweep stores every cell with consistent statistics and its raw samples', async () => {
    const { jobId, runId } = await call('bench.start', { targets: ['host'], models: ['digits@1'], threads: [1, 2], batch: [1, 4], runs: 40, durationS: 0, warmup: 3, cooldownS: 0 })
    const job = await app.services.jobs.wait(jobId)
    expect(job.state).toBe('succeeded')
    const run = await call('bench.get', { id: runId.slice(0, 8) })
    expect(run.cells.map((c) => [c.threads, c.batch])).toEqual([[1, 1], [1, 4], [2, 1], [2, 4]])
    for (const cell of run.cells) {
      expect(cell.state).toBe('done')
      const s = cell.stats
      if (!s) throw new Error('no stats')
      expect(s.runs).toBeGreaterThanOrEqual(40)
      expect(s.min).toBeLessThanOrEqual(s.p50)
      expect(s.p50).toBeLessThanOrEqual(s.p90)
      expect(s.p90).toBeLessThanOrEqual(s.p99)
      expect(s.p99).toBeLessThanOrEqual(s.max)
      expect(s.peakRssMb).toBeGreaterThan(0)
      const samples = await call('bench.samples', { cellId: cell.id })
      expect(samples).toHaveLength(s.runs)
      expect(Math.max(...samples)).toBeCloseTo(s.max, 2)
      expect(cell.result?.env.throttled).toBeDefined()
    }
    // Batch 4 feeds four inputs per run: its throughput counts inferences, not runs.
    const [b1, b4] = run.cells
    expect(b4?.result?.inputDims[0]).toBe(4)
    expect(b1?.result?.inputDims[0]).toBe(1)
    const listed = await call('bench.list', {})
    expect(listed[0]).toMatchObject({ id: runId, cellCount: 4, done: 4, failed: 0, targets: ['host'] })
  }, 180_000)

  it('accuracy on the labelled digits set is reported beside latency', async () => {
    const { jobId, runId } = await call('bench.start', { targets: ['host'], models: ['digits@1'], threads: [1], runs: 10, durationS: 0, samples: { builtin: 'digits-100' } })
    await app.services.jobs.wait(jobId)
    const [cell] = (await call('bench.get', { id: runId })).cells
    expect(cell?.accuracy?.samples).toBe(100)
    // The same model and set through the app's own ONNX Runtime compare job.
    const cmp = await call('models.compare', { a: 'digits@1', b: 'digits@1', samples: { builtin: 'digits-100' } })
    const report = (await app.services.jobs.wait(cmp.jobId)).result as { a: { accuracy: number } }
    expect(cell?.accuracy?.top1).toBeCloseTo(report.a.accuracy, 6)
  }, 120_000)

  it('an absurd thread count fails its own cell in words; the other cell still runs', async () => {
    const { jobId, runId } = await call('bench.start', { targets: ['host'], models: ['digits@1'], threads: [100_000, 1], runs: 10, durationS: 0, cooldownS: 0 })
    const job = await app.services.jobs.wait(jobId)
    expect(job.state).toBe('failed')
    expect(job.error?.message).toMatch(/1 of 2 cells failed/)
    const cells = (await call('bench.get', { id: runId })).cells
    expect(cells[0]).toMatchObject({ state: 'failed', stats: null })
    expect(cells[0]?.error).toMatch(/threads must be between 0 and 256/)
    expect(cells[1]).toMatchObject({ state: 'done' })
  }, 120_000)

  it('cancel stops within seconds and keeps the runs measured so far', async () => {
    const { jobId, runId } = await call('bench.start', { targets: ['host'], models: ['digits@1'], threads: [1], runs: 1_000_000, durationS: 600, repeat: 2, cooldownS: 0 })
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      const cell = (await call('bench.get', { id: runId })).cells[0]
      if (cell?.progress?.phase === 'measure' && cell.progress.done > 20) break
      await new Promise((r) => setTimeout(r, 200))
    }
    const asked = Date.now()
    await call('jobs.cancel', { id: jobId })
    const job = await app.services.jobs.wait(jobId)
    expect(Date.now() - asked).toBeLessThan(4000)
    expect(job.state).toBe('cancelled')
    const [first, second] = (await call('bench.get', { id: runId })).cells
    expect(first?.state).toBe('cancelled')
    expect(first?.valid).toBe(false)
    expect(first?.stats?.runs).toBeGreaterThan(20)
    expect((await call('bench.samples', { cellId: first?.id ?? '' })).length).toBe(first?.stats?.runs)
    expect(second).toMatchObject({ state: 'cancelled', stats: null })
  }, 120_000)

  it('compares two cells against the noise and exports CSV and JSON', async () => {
    const [run] = await call('bench.list', { limit: 50 }).then((runs) => runs.filter((r) => r.cellCount === 4))
    const detail = await call('bench.get', { id: run?.id ?? '' })
    const [b1, b4] = detail.cells
    const cmp = await call('bench.compare', { ids: [b1?.id ?? '', b4?.id ?? ''] })
    const row = cmp.rows[0]
    // Four inputs per run cost the tiny digits CNN little more than one: throughput counts inferences
    // (about 3x alone, 1.8x with lab VMs on the same two cores; counting runs would give 1x or less).
    expect(row?.throughputRatio).toBeGreaterThan(1.3)
    const p = row?.pValue ?? Number.NaN
    expect(p).toBeGreaterThanOrEqual(0)
    expect(p).toBeLessThanOrEqual(1)
    expect(row?.significant).toBe(p < 0.01 && Math.abs((row?.p50Ratio ?? 1) - 1) > 0.01)
    const same = await call('bench.compare', { ids: [b1?.id ?? '', b1?.id ?? ''] })
    expect(same.rows[0]).toMatchObject({ p50Ratio: 1, significant: false })
    const csv = (await call('bench.export', { ids: [run?.id ?? ''], format: 'csv' })).text.trim().split('\r\n')
    expect(csv).toHaveLength(5)
    expect(csv[0]).toMatch(/^run,cell,created,target,model,sha256,threads,batch/)
    const json = JSON.parse((await call('bench.export', { ids: [run?.id ?? ''], format: 'json' })).text) as { cells: { samples: number[] }[] }[]
    expect(json[0]?.cells[0]?.samples.length).toBeGreaterThanOrEqual(40)
  })

  it('a run on a unit and on this computer is titled by its units, with the host named apart', async () => {
    const port = await closedPort()
    const { jobId } = await call('bench.start', { targets: [`pi@127.0.0.1:${port}`, 'host'], models: ['digits@1'], runs: 5, durationS: 0, warmup: 1, cooldownS: 0 })
    const job = await app.services.jobs.wait(jobId)
    expect(job.title).toBe('Benchmark digits@1 on 1 unit and this computer')
  })

  it('a sample set that does not fit the model fails the cell in words', async () => {
    const tiny = path.join(tmp.dir, 'tiny.json')
    writeFileSync(tiny, JSON.stringify({ inputs: [[1, 2, 3]], labels: [0] }))
    const { jobId, runId } = await call('bench.start', { targets: ['host'], models: ['digits@1'], runs: 5, durationS: 0, samples: { path: tiny } })
    await app.services.jobs.wait(jobId)
    const [cell] = (await call('bench.get', { id: runId })).cells
    expect(cell?.state).toBe('failed')
    expect(cell?.error).toMatch(/sample set does not fit the model: host|sample 0 has 3 values but the model input/)
  })

  it('unknown and too-short run ids are refused in words', async () => {
    await expect(call('bench.get', { id: 'zzzzzzzz' })).rejects.toMatchObject({ code: 'BENCH_NOT_FOUND' })
    await expect(call('bench.get', { id: 'ab' })).rejects.toMatchObject({ code: 'BENCH_NOT_FOUND' })
    await expect(call('bench.start', { targets: ['host'], models: ['nope@1'] })).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' })
  })
})
