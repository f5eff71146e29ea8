// When a run is kept but marked invalid: throttling during the run, heat above 80 °C.
import { describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { judge, startMonitor, summarize } from '../../../src/agent/bench/monitor'
import type { BenchMonitorSample } from '../../../src/agent/protocol'

const at = (tMs: number, throttled: string | null, tempC: number | null = 50, freqKHz: number[] | null = [1500000]): BenchMonitorSample => ({ tMs, tempC, freqKHz, throttled })

describe('judge', () => {
  it('finds nothing wrong on a cool, unthrottled run or where nothing can be read', () => {
    expect(judge([at(0, 'throttled=0x0'), at(500, 'throttled=0x0')], 61.2)).toEqual({ invalidReasons: [], warnings: [] })
    expect(judge([at(0, null, null, null)], null)).toEqual({ invalidReasons: [], warnings: [] })
  })

  it('marks throttling seen now during the run', () => {
    const r = judge([at(0, 'throttled=0x0'), at(500, 'throttled=0x50005'), at(1000, 'throttled=0x50000')], 70)
    expect(r.invalidReasons).toEqual([
      'throttled during the run (get_throttled 0x50005: under-voltage now, throttled now, under-voltage has occurred, throttling has occurred)',
      'throttled during the run (get_throttled 0x50000: under-voltage has occurred, throttling has occurred)'
    ])
  })

  it('only warns about "has occurred" bits that were set before the run began', () => {
    const r = judge([at(0, 'throttled=0x80000'), at(500, 'throttled=0x80000')], 70)
    expect(r).toEqual({ invalidReasons: [], warnings: ['before the run (since boot): soft temperature limit has occurred'] })
  })

  it('marks a soft temperature limit reached during the run even with old bits set', () => {
    const r = judge([at(0, 'throttled=0x80000'), at(500, 'throttled=0x80008')], 70)
    expect(r.invalidReasons).toEqual(['throttled during the run (get_throttled 0x80008: soft temperature limit now)'])
  })

  it('marks a run that passed 80 °C', () => {
    expect(judge([at(0, null)], 80).invalidReasons).toEqual([])
    expect(judge([at(0, null)], 81.25).invalidReasons).toEqual(['temperature reached 81.3 °C (limit 80 °C)'])
  })
})

describe('summarize', () => {
  it('keeps the timeline with its extremes', () => {
    const r = summarize([at(0, 'throttled=0x0', 55, [1500000, 1500000]), at(500, 'throttled=0x0', 83, [600000, 1500000])], 500)
    expect(r.monitor).toMatchObject({ intervalMs: 500, maxTempC: 83, minFreqKHz: 600000, maxFreqKHz: 1500000 })
    expect(r.monitor.timeline).toHaveLength(2)
    expect(r.invalidReasons).toEqual(['temperature reached 83 °C (limit 80 °C)'])
  })
})

describe('startMonitor', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
  const root = mkdtempSync(path.join(tmpdir(), 'edgedock-monitor-'))
  const clock = { now: () => performance.now() }

  it('asks vcgencmd on every poll of a Pi, and only once where it is missing (no failing spawn every interval during the runs)', async () => {
    const calls = { pi: 0, lab: 0 }
    const pi = startMonitor({ root, clock, intervalMs: 20, run: async () => (calls.pi++, 'throttled=0x0\n') })
    const lab = startMonitor({ root, clock, intervalMs: 20, run: async () => (calls.lab++, null) })
    await sleep(150)
    const [a, b] = await Promise.all([pi.stop(), lab.stop()])
    expect(calls.pi).toBeGreaterThanOrEqual(4)
    expect(calls.pi).toBe(a.monitor.timeline.length)
    expect(calls.lab).toBe(1)
    expect(b.monitor.timeline.length).toBeGreaterThanOrEqual(4)
    expect(b.monitor.timeline.every((s) => s.throttled === null)).toBe(true)
  })
})
