// The benchmark statistics and throttle flags against values worked out by hand.
import { describe, expect, it } from 'vitest'
import { cpuPercent, latencyStats, parseThrottled, percentile, throttleReasons, throughput } from '../../../src/shared/bench'

describe('percentile (linear interpolation, numpy default)', () => {
  const five = [15, 20, 35, 40, 50]

  it('interpolates between closest ranks: h = (n - 1) * p / 100', () => {
    expect(percentile(five, 0)).toBe(15)
    expect(percentile(five, 25)).toBe(20) // h = 1
    expect(percentile(five, 40)).toBeCloseTo(29, 10) // h = 1.6: 20 + 0.6 * 15
    expect(percentile(five, 50)).toBe(35) // h = 2
    expect(percentile(five, 90)).toBeCloseTo(46, 10) // h = 3.6: 40 + 0.6 * 10
    expect(percentile(five, 95)).toBeCloseTo(48, 10) // h = 3.8
    expect(percentile(five, 99)).toBeCloseTo(49.6, 10) // h = 3.96
    expect(percentile(five, 99.9)).toBeCloseTo(49.96, 10) // h = 3.996
    expect(percentile(five, 100)).toBe(50)
  })

  it('handles an even count, one value and none', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5) // h = 1.5
    expect(percentile([1, 2, 3, 4], 90)).toBeCloseTo(3.7, 10) // h = 2.7
    expect(percentile([7], 99.9)).toBe(7)
    expect(percentile([], 50)).toBeNaN()
  })
})

describe('latencyStats', () => {
  it('summarises unsorted samples with the sample standard deviation', () => {
    const s = latencyStats([50, 15, 40, 20, 35])
    // mean 160 / 5 = 32; squared deviations 289 + 144 + 9 + 64 + 324 = 830; 830 / 4 = 207.5
    expect(s).toMatchObject({ count: 5, minMs: 15, meanMs: 32, p50Ms: 35, maxMs: 50 })
    expect(s?.stdMs).toBeCloseTo(Math.sqrt(207.5), 10)
    expect(s?.stdMs).toBeCloseTo(14.4048602, 6)
    expect(s?.cv).toBeCloseTo(14.4048602 / 32, 6)
    expect(s?.p90Ms).toBeCloseTo(46, 10)
    expect(s?.p95Ms).toBeCloseTo(48, 10)
    expect(s?.p99Ms).toBeCloseTo(49.6, 10)
    expect(s?.p999Ms).toBeCloseTo(49.96, 10)
  })

  it('gives std 0 for one run and null for none', () => {
    expect(latencyStats([3])).toEqual({ count: 1, minMs: 3, meanMs: 3, stdMs: 0, cv: 0, p50Ms: 3, p90Ms: 3, p95Ms: 3, p99Ms: 3, p999Ms: 3, maxMs: 3 })
    expect(latencyStats([])).toBeNull()
  })

  it('keeps the percentiles in order on any data', () => {
    const data = Array.from({ length: 257 }, (_, i) => ((i * 7919) % 101) / 3)
    const s = latencyStats(data)
    if (!s) throw new Error('no stats')
    const ordered = [s.minMs, s.p50Ms, s.p90Ms, s.p95Ms, s.p99Ms, s.p999Ms, s.maxMs]
    expect([...ordered].sort((a, b) => a - b)).toEqual(ordered)
  })
})

describe('throughput and CPU', () => {
  it('counts batch * runs per measured second', () => {
    expect(throughput(4, 1000, 2000)).toBe(2000)
    expect(throughput(1, 30, 1500)).toBe(20)
    expect(throughput(1, 0, 0)).toBe(0)
  })

  it('reads CPU time over wall time as percent of one core', () => {
    expect(cpuPercent(1_500_000, 500_000, 1000)).toBe(200) // 2 s of CPU in 1 s: two cores busy
    expect(cpuPercent(250_000, 0, 1000)).toBe(25)
    expect(cpuPercent(100, 100, 0)).toBe(0)
  })
})

describe('parseThrottled (vcgencmd get_throttled)', () => {
  it('reads a healthy unit', () => {
    const f = parseThrottled('throttled=0x0\n')
    expect(f?.raw).toBe(0)
    expect(Object.entries(f ?? {}).filter(([k, v]) => k !== 'raw' && v)).toEqual([])
    expect(throttleReasons(f!)).toEqual([])
  })

  it('reads under-voltage and throttling now and since boot (0x50005)', () => {
    expect(parseThrottled('throttled=0x50005')).toEqual({
      raw: 0x50005,
      underVoltage: true,
      armFreqCapped: false,
      throttled: true,
      softTempLimit: false,
      underVoltageOccurred: true,
      armFreqCappedOccurred: false,
      throttledOccurred: true,
      softTempLimitOccurred: false
    })
    expect(throttleReasons(parseThrottled('throttled=0x50005')!)).toEqual(['under-voltage now', 'throttled now', 'under-voltage has occurred', 'throttling has occurred'])
  })

  it('reads a soft temperature limit that has occurred only (0x80000)', () => {
    const f = parseThrottled('throttled=0x80000')
    expect(f).toMatchObject({ raw: 0x80000, softTempLimitOccurred: true, softTempLimit: false, throttled: false, underVoltage: false })
    expect(throttleReasons(f!)).toEqual(['soft temperature limit has occurred'])
  })

  it('reads ARM frequency capping (0x2, 0x20002) and refuses other text', () => {
    expect(parseThrottled('throttled=0x20002')).toMatchObject({ armFreqCapped: true, armFreqCappedOccurred: true, throttled: false })
    expect(parseThrottled('throttled=0xE0000')).toMatchObject({ armFreqCappedOccurred: true, throttledOccurred: true, softTempLimitOccurred: true, underVoltageOccurred: false })
    expect(parseThrottled('VCHI initialization failed')).toBeNull()
    expect(parseThrottled('')).toBeNull()
  })
})
