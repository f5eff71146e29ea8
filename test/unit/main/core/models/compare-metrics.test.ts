import { describe, expect, it } from 'vitest'
import { argmax, latencyStats, OutputErrorAccumulator } from '../../../../../src/main/core/models/compare-metrics'

describe('compare metrics', () => {
  it('argmax picks the first of equal maxima', () => {
    expect(argmax([0.1, 0.7, 0.7, 0.2])).toBe(1)
  })

  it('latency percentiles', () => {
    expect(latencyStats([4, 1, 3, 2])).toEqual({ meanMs: 2.5, p50Ms: 2, p95Ms: 4, minMs: 1, maxMs: 4 })
  })

  it('relative error is against the largest output of the reference, so tiny outputs still compare', () => {
    const acc = new OutputErrorAccumulator()
    acc.add([2e-9, -1e-9], [2.2e-9, -1e-9]) // MobileNet-sized logits: 10% off
    acc.add([10, 0], [10, 0.5]) // an element that is zero in A: 5% of the largest
    const error = acc.result()
    expect(error.maxAbs).toBe(0.5)
    expect(error.meanAbs).toBeCloseTo(0.125, 6)
    expect(error.maxRel).toBeCloseTo(0.1, 6)
    expect(error.meanRel).toBeCloseTo(0.075, 6)
  })
})
