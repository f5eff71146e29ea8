import { describe, expect, it } from 'vitest'
import { alignLines, cdfOf } from '../../../../src/renderer/src/components/bench/cdf'

describe('cdfOf', () => {
  it('gives the fraction of runs at or below each latency, ascending', () => {
    expect(cdfOf([3, 1, 2, 4])).toEqual({ x: [1, 2, 3, 4], y: [0.25, 0.5, 0.75, 1] })
  })

  it('collapses equal latencies to their highest rank, so the step is not drawn twice', () => {
    expect(cdfOf([1, 1, 2, 2, 2])).toEqual({ x: [1, 2], y: [0.4, 1] })
  })

  it('thins a long run to about maxPoints while keeping the minimum and the maximum', () => {
    const samples = Array.from({ length: 100_000 }, (_, i) => i / 10)
    const line = cdfOf(samples, 500)
    expect(line.x.length).toBeLessThanOrEqual(500)
    expect(line.x.length).toBeGreaterThan(450)
    expect(line.x[0]).toBe(0)
    expect(line.x.at(-1)).toBe(9999.9)
    expect(line.y.at(-1)).toBe(1)
    expect(line.x).toEqual([...line.x].sort((a, b) => a - b))
  })

  it('ignores values that are not numbers and gives an empty line for no samples', () => {
    expect(cdfOf([Number.NaN, 2, Number.POSITIVE_INFINITY])).toEqual({ x: [2], y: [1] })
    expect(cdfOf([])).toEqual({ x: [], y: [] })
  })
})

describe('alignLines', () => {
  it('puts several lines on the union of their x values, null where a line has no point', () => {
    expect(alignLines([{ x: [1, 3], y: [0.5, 1] }, { x: [2, 3], y: [0.5, 1] }])).toEqual([
      [1, 2, 3],
      [0.5, null, 1],
      [null, 0.5, 1]
    ])
  })
})
