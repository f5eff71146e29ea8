// ONNX Runtime's profile reduced to time per node and per op type. The fixture is a real trace of
// two runs of the digits CNN (onnxruntime-node 1.30, CPU), with args trimmed to what is read.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { summarizeTrace } from '../../../src/agent/bench/profile-trace'

const trace: unknown = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/bench/ort-profile-digits-2runs.json'), 'utf8'))

describe('summarizeTrace', () => {
  it('sums kernel time per op type and per node, largest first', () => {
    const p = summarizeTrace(trace, 2)
    if (!p.available) throw new Error(p.reason)
    // Over both runs the two Conv kernels take 125 of the 203 µs of kernel time.
    expect(p).toMatchObject({ runs: 2, totalUs: 203, nodes: 7, opTypes: 6 })
    expect(p.topOpTypes.map((e) => [e.name, e.totalUs, e.calls])).toEqual([
      ['Conv', 125, 4],
      ['FusedGemm', 25, 2],
      ['MaxPool', 20, 2],
      ['ReorderOutput', 12, 2],
      ['Flatten', 11, 2],
      ['Gemm', 10, 2]
    ])
    expect(p.topOpTypes[0]).toEqual({ name: 'Conv', opType: 'Conv', calls: 4, totalUs: 125, avgUsPerRun: 62.5, percent: 61.576 })
    expect(p.topNodes[0]).toMatchObject({ name: '/features/features.1/Relu_output_0_nchwc', opType: 'Conv', totalUs: 97, avgUsPerRun: 48.5 })
    expect(p.topNodes.map((e) => e.name)).toContain('fused /classifier/classifier.1/Gemm')
  })

  it('keeps the top ten and ignores events that are not kernel times', () => {
    const events = [
      ...Array.from({ length: 12 }, (_, i) => ({ cat: 'Node', name: `n${i}_kernel_time`, dur: 100 + i, args: { op_name: `Op${i}` } })),
      { cat: 'Node', name: 'n0_fence_before', dur: 1000, args: { op_name: 'Op0' } },
      { cat: 'Session', name: 'model_run', dur: 5000, args: {} }
    ]
    const p = summarizeTrace({ traceEvents: events }, 1)
    if (!p.available) throw new Error(p.reason)
    expect(p.nodes).toBe(12)
    expect(p.topNodes).toHaveLength(10)
    expect(p.topNodes[0]).toMatchObject({ name: 'n11', opType: 'Op11', totalUs: 111 })
    expect(p.totalUs).toBe(Array.from({ length: 12 }, (_, i) => 100 + i).reduce((a, b) => a + b, 0))
  })

  it('says so when the trace holds no kernel events', () => {
    expect(summarizeTrace([], 3)).toEqual({ available: false, reason: 'the ONNX Runtime profile held no kernel events' })
    expect(summarizeTrace({ nothing: true }, 3)).toMatchObject({ available: false })
  })
})
