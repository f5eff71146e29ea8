// Live per-unit, per-step state of a running provisioning, read from the job's log. The engine logs
// `[target] <step title>: <status>` when a step changes, is skipped or fails, `[target] <title>:
// <field>: a -> b` just before it applies a change, and `[target] <status>, N change(s)` when the
// unit is done; unchanged steps log nothing, so a step is known unchanged once a later one shows.
import type { JobLogLine, Text } from '../../../../shared/domain'
import type { UnitResult } from './fleet-result'

export type LiveStepState = 'pending' | 'running' | 'unchanged' | 'changed' | 'skipped' | 'failed'
export interface LiveUnit {
  target: string
  started: boolean
  status: UnitResult['status'] | null
  /** `title` is the English the log uses; `titleText` (when the plan had one) is what the UI shows. */
  steps: { id: string; title: string; titleText?: Text | undefined; state: LiveStepState }[]
  /** The unit's latest log line, shown as "now doing". */
  last: string | null
}

const STEP_END: Record<string, LiveStepState> = { changed: 'changed', skipped: 'skipped', failed: 'failed', 'would-change': 'changed' }
const STEP_REPORT_RE = /^([^[\]\n]+?): (?:changed|would-change|skipped|failed)\b/
const UNIT_END_RE = /^(unchanged|changed|would-change|failed|cancelled|not-started), \d+ change/

export function liveUnits(plan: readonly UnitResult[], log: readonly JobLogLine[], currentStep: string | null): LiveUnit[] {
  return plan.map((p) => {
    const prefix = `[${p.target}] `
    const steps: LiveUnit['steps'] = p.steps.map((s) => ({ id: s.id, title: s.title, titleText: s.titleText, state: 'pending' as LiveStepState }))
    let started = false
    let status: LiveUnit['status'] = null
    let last: string | null = null
    let reached = -1
    for (const line of log) {
      if (!line.text.startsWith(prefix)) continue
      started = true
      const rest = line.text.slice(prefix.length)
      last = rest.split('\n')[0] ?? rest
      const end = UNIT_END_RE.exec(rest)
      if (end) {
        status = end[1] as LiveUnit['status']
        continue
      }
      let i = steps.findIndex((s) => rest.startsWith(`${s.title}: `))
      // A unit the dry run could not read has no planned steps: list those that report as they end.
      const reported = i < 0 ? STEP_REPORT_RE.exec(rest) : null
      if (reported?.[1]) i = steps.push({ id: reported[1], title: reported[1], state: 'pending' }) - 1
      const step = steps[i]
      if (!step) continue
      reached = Math.max(reached, i)
      const word = rest.slice(step.title.length + 2).split(/[ ,(]/)[0] ?? ''
      step.state = STEP_END[word] ?? 'running'
    }
    // One unit: the job's own step names the step being run now.
    const current = plan.length === 1 && currentStep ? steps.findIndex((s) => s.title === currentStep) : -1
    if (current >= 0) {
      reached = Math.max(reached, current)
      const step = steps[current]
      if (step?.state === 'pending') step.state = status ? 'unchanged' : 'running'
    }
    const done = status !== null && status !== 'failed' && status !== 'cancelled'
    steps.forEach((s, i) => {
      if (s.state === 'pending' && (i < reached || done)) s.state = 'unchanged'
      if (s.state === 'running' && (i < reached || status !== null)) s.state = 'unchanged'
    })
    return { target: p.target, started, status, steps, last }
  })
}
