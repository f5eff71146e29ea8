import { describe, expect, it } from 'vitest'
import { mannWhitneyP } from '../../../../../src/main/core/bench/mann-whitney'

// Values checked against scipy.stats.mannwhitneyu(a, b, alternative='two-sided',
// method='asymptotic', use_continuity=True).
describe('mannWhitneyP', () => {
  it('matches the asymptotic test with continuity correction', () => {
    const a = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3]
    const b = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    expect(mannWhitneyP(a, b)).toBeCloseTo(0.1329, 3)
  })

  it('handles ties, which latency samples in rounded milliseconds have many of', () => {
    const a = [1, 1, 1, 2, 2, 3]
    const b = [2, 2, 3, 3, 3, 4]
    expect(mannWhitneyP(a, b)).toBeCloseTo(0.04468, 3)
  })

  it('calls two clearly shifted samples different and one sample the same as itself', () => {
    const a = Array.from({ length: 200 }, (_, i) => 10 + (i % 7) * 0.1)
    const b = a.map((x) => x * 1.05)
    expect(mannWhitneyP(a, b)).toBeLessThan(1e-6)
    expect(mannWhitneyP(a, a)).toBeCloseTo(1, 6)
  })

  it('has no answer with fewer than two samples a side', () => {
    expect(mannWhitneyP([1], [1, 2, 3])).toBeNull()
  })
})
