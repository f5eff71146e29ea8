// Live per-unit, per-step progress is read from the job log lines the engine writes
// (src/main/core/provision/provision-job.ts and run-unit.ts); these lines are in that exact form.
import { describe, expect, it } from 'vitest'
import type { JobLogLine } from '../../../../../src/shared/domain'
import { liveUnits } from '../../../../../src/renderer/src/components/provision/live-units'
import type { UnitResult } from '../../../../../src/renderer/src/components/provision/fleet-result'

const unit = (target: string): UnitResult => ({
  target,
  status: 'would-change',
  changes: 2,
  handlers: [],
  durationMs: 1,
  steps: ['EdgeDock key in authorized_keys', 'Hostname bench-07', 'EdgeDock runtime and inference service', 'CPU governor performance'].map((title, i) => ({
    id: `s${i}`,
    kind: 'x',
    title,
    status: 'would-change',
    changes: []
  }))
})
let seq = 0
const line = (text: string): JobLogLine => ({ jobId: 'j1', seq: seq++, ts: 0, level: 'info', text })
const states = (u: ReturnType<typeof liveUnits>[number] | undefined) => u?.steps.map((s) => s.state)

describe('liveUnits', () => {
  it('marks the step being applied, and steps before it that logged nothing as already right', () => {
    const [a, b] = liveUnits(
      [unit('a'), unit('b')],
      [line('[a] sudo -n -- cat /etc/hostname'), line('[a] Hostname bench-07: hostname: vm -> bench-07')],
      null
    )
    expect(states(a)).toEqual(['unchanged', 'running', 'pending', 'pending'])
    expect(a?.started).toBe(true)
    expect(a?.last).toBe('Hostname bench-07: hostname: vm -> bench-07')
    expect(b?.started).toBe(false)
    expect(states(b)).toEqual(['pending', 'pending', 'pending', 'pending'])
  })

  it('reads step outcomes and the unit outcome; a unit that finished has no step left pending', () => {
    const [a] = liveUnits(
      [unit('a')],
      [
        line('[a] EdgeDock key in authorized_keys: changed'),
        line('[a] CPU governor performance: skipped (this unit has no CPU frequency control)'),
        line('[a] changed, 2 change(s)')
      ],
      null
    )
    expect(a?.status).toBe('changed')
    expect(states(a)).toEqual(['changed', 'unchanged', 'unchanged', 'skipped'])
  })

  it('keeps a failed step and leaves the steps after it pending', () => {
    const [a] = liveUnits([unit('a')], [line('[a] Hostname bench-07: failed (Could not set the hostname)'), line('[a] failed, 0 change(s)')], null)
    expect(a?.status).toBe('failed')
    expect(states(a)).toEqual(['unchanged', 'failed', 'pending', 'pending'])
  })

  it('with one unit, follows the job\'s own current step', () => {
    const [a] = liveUnits([unit('a')], [], 'EdgeDock runtime and inference service')
    expect(states(a)).toEqual(['unchanged', 'unchanged', 'running', 'pending'])
  })

  it('lists the steps of a unit the dry run could not read as they report', () => {
    const [a] = liveUnits(
      [{ ...unit('a'), steps: [] }],
      [line('[a] sudo -n -- cat /etc/hostname'), line('[a] Hostname bench-07: changed'), line('[a] EdgeDock runtime and inference service: failed (no space)')],
      null
    )
    expect(a?.steps.map((s) => [s.title, s.state])).toEqual([
      ['Hostname bench-07', 'changed'],
      ['EdgeDock runtime and inference service', 'failed']
    ])
  })
})
