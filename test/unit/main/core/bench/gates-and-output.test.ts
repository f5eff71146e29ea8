import { describe, expect, it } from 'vitest'
import type { CellStats } from '../../../../../src/shared/bench-run'
import { etaSeconds, parseAgentResult, progressParser } from '../../../../../src/main/core/bench/agent-output'
import { judgeGates } from '../../../../../src/main/core/bench/gates'
import { agentBenchArgs, planCells } from '../../../../../src/main/core/bench/bench-plan'

const stats: CellStats = { runs: 500, p50: 40, p90: 72.1, p95: 80, p99: 95, p999: 99, mean: 45, std: 9, cv: 0.2, min: 30, max: 120, throughput: 22, cpuPercent: 350, peakRssMb: 180, rssGrowthMb: 40, valid: true }

describe('benchmark gates', () => {
  it('names the limit a unit missed and by how much', () => {
    const v = judgeGates(stats, { p90Ms: 60, peakRssMb: 200 })
    expect(v.missed).toEqual(['p90 72.1 ms is over the limit of 60.0 ms by 12.1 ms (20%)'])
    expect(v.met).toEqual(['peak RSS 180.0 MB <= 200.0'])
  })
  it('an accuracy floor compares top-1 in percent, and a gate with nothing measured is a miss, not a pass', () => {
    expect(judgeGates(stats, { minTop1: 97 }, { samples: 100, correct: 96, top1: 0.96 }).missed).toEqual(['top-1 96.0 % (96/100) is under the limit of 97.0 % by 1.00 points'])
    expect(judgeGates(stats, { minTop1: 95 }, { samples: 100, correct: 96, top1: 0.96 }).met).toEqual(['top-1 96.0 % >= 95.0 % (96/100)'])
    expect(judgeGates(stats, { minTop1: 95 }, null).missed[0]).toMatch(/top-1 accuracy was not measured/)
  })
  it('a throughput floor is missed from below', () => {
    expect(judgeGates(stats, { minThroughput: 30 }).missed[0]).toMatch(/^throughput 22.0 inferences\/s is under the limit of 30.0/)
  })
})

describe("reading the runner's output", () => {
  it('turns its error lines into sentences with codes', () => {
    expect(() => parseAgentResult({ code: 2, stdout: 'usage-error message="--threads must be between 0 and 256, got 999"\n', stderr: '' }, 'door-01')).toThrow(
      expect.objectContaining({ code: 'BENCH_SETTING_REFUSED', message: expect.stringContaining('door-01: --threads must be between 0 and 256') })
    )
    expect(() => parseAgentResult({ code: 1, stdout: 'fatal code=AGENT_MODEL_LOAD_FAILED message="Load model failed"\n', stderr: '' }, 'door-01')).toThrow(expect.objectContaining({ code: 'BENCH_MODEL_REFUSED' }))
  })
  it('refuses a result line that is not one (a hostile or broken unit)', () => {
    expect(() => parseAgentResult({ code: 0, stdout: '{"runs": "many"}\n', stderr: '' }, 'u')).toThrow(expect.objectContaining({ code: 'BENCH_FAILED' }))
    expect(() => parseAgentResult({ code: 137, stdout: '', stderr: 'Killed\n' }, 'u')).toThrow(/without a result: Killed/)
  })
  it('reads progress lines split across chunks and ignores noise', () => {
    const seen: number[] = []
    const feed = progressParser((p) => seen.push(p.done), () => {})
    feed('{"event":"bench.progress","phase":"measure","done":10,"total":100,"elapsedMs":500}\n{"event":"bench.pro')
    feed('gress","phase":"measure","done":20,"total":100,"elapsedMs":1000}\nnot json\n')
    expect(seen).toEqual([10, 20])
  })
  it('an ETA is the later of the runs left and the minimum time left', () => {
    expect(etaSeconds({ phase: 'measure', done: 50, total: 100, elapsedMs: 5000 })).toBe(5)
    expect(etaSeconds({ phase: 'measure', done: 50, total: 100, elapsedMs: 5000, minDurationMs: 60_000 })).toBe(55)
    expect(etaSeconds({ phase: 'measure', done: 0, total: 100, elapsedMs: 0 })).toBeNull()
  })
})

describe('the matrix', () => {
  it('is every target × model × threads × batch × repeat, duplicates dropped', () => {
    let n = 0
    const model = { ref: 'm@1', name: 'm', version: '1', sha256: 'a', localFile: '/m' }
    const cells = planCells([{ label: 'a', deviceId: null }, { label: 'b', deviceId: null }], [model], { threads: [1, 2, 2], batch: [1], repeat: 2 }, () => `c${n++}`)
    expect(cells.map((c) => `${c.target.label}/${c.threads}/${c.repeat}`)).toEqual(['a/1/1', 'a/1/2', 'a/2/1', 'a/2/2', 'b/1/1', 'b/1/2', 'b/2/1', 'b/2/2'])
  })
  it("passes each setting as one argument, so nothing in it reaches a shell as syntax", () => {
    expect(agentBenchArgs({ threads: 2, batch: 1 }, { preset: 'quick', runs: 5, profileOps: true }, { model: '/tmp/x y.onnx', samples: null })).toEqual([
      'bench', '--model=/tmp/x y.onnx', '--preset=quick', '--threads=2', '--batch=1', '--runs=5', '--profile-ops'
    ])
  })
})
