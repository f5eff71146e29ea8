import { describe, expect, it } from 'vitest'
import { addToHistogram, entropyRange, newHistogram, percentileRange } from '../../../../../../src/main/core/models/quantize'
import { seededInput } from '../../../../../../src/agent/bench/inputs'

describe('histogram calibrators', () => {
  const data = seededInput(400_000, 3)
  data[17] = 100 // one outlier

  it('percentile cuts an outlier that min/max would keep', () => {
    const h = newHistogram(2048)
    addToHistogram(h, data.subarray(0, 200_000))
    addToHistogram(h, data.subarray(200_000))
    expect(h.max).toBe(100)
    const [lo, hi] = percentileRange(h, 99.999)
    expect(lo).toBeGreaterThanOrEqual(0)
    expect(hi).toBeLessThan(2)
  })

  it('entropy picks a threshold inside the observed range', () => {
    const h = newHistogram(2048)
    addToHistogram(h, data)
    const [lo, hi] = entropyRange(h)
    expect(lo).toBeGreaterThanOrEqual(h.min)
    expect(hi).toBeLessThanOrEqual(h.max)
    expect(hi).toBeGreaterThan(0.5)
  })
})
