// The per-device diff and summary as text, for the CLI and for copying into a ticket. Same words as
// the UI: "would change" in a dry run, "changed" after a real one.
import type { FleetResult, StepReport, UnitResult } from './provision-types'

const STATUS_WORDS: Record<UnitResult['status'], string> = {
  unchanged: 'no changes',
  changed: 'changed',
  'would-change': 'would change',
  failed: 'FAILED',
  'not-started': 'not started',
  cancelled: 'cancelled'
}

function stepLines(step: StepReport): string[] {
  if (step.status === 'skipped') return [`  - ${step.title}: skipped (${step.note ?? ''})`]
  if (step.status === 'failed') return [`  ✗ ${step.title}: ${step.note ?? 'failed'}`]
  // A check that passed says what it found ("edgedock-inference runs; no model yet").
  if (step.status === 'unchanged' && step.note) return [`  ✓ ${step.title}: ${step.note}`]
  const mark = step.status === 'would-change' ? '~' : '+'
  return step.changes.map((c) => `  ${mark} ${c.field}: ${c.from ?? '(none)'} -> ${c.to}`)
}

export function formatFleetResult(result: FleetResult): string {
  const lines: string[] = []
  for (const unit of result.units) {
    const where = unit.line !== undefined ? ` (line ${unit.line})` : ''
    const count = unit.changes > 0 ? `, ${unit.changes} change${unit.changes === 1 ? '' : 's'}` : ''
    lines.push(`${unit.target}${where}: ${STATUS_WORDS[unit.status]}${count}`)
    for (const step of unit.steps) lines.push(...stepLines(step))
    if (unit.handlers.length > 0) lines.push(`  ${result.dryRun ? 'would run' : 'ran'}: ${unit.handlers.join(', ')}`)
    if (unit.error && !unit.steps.some((s) => s.status === 'failed')) lines.push(`  ✗ ${unit.error.message}`)
  }
  const s = result.summary
  const changed = result.dryRun ? `${s.wouldChange} would change` : `${s.changed} changed`
  lines.push(
    `${result.dryRun ? 'Dry run' : 'Provisioned'} ${result.profile}: ${s.total} unit${s.total === 1 ? '' : 's'}, ${changed}, ${s.unchanged} without changes, ${s.failed} failed${s.notStarted ? `, ${s.notStarted} not started` : ''}; ${s.changes} change${s.changes === 1 ? '' : 's'} in all`
  )
  if (result.error) lines.push(result.error.message)
  return lines.join('\n')
}
