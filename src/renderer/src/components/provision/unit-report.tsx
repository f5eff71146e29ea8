// One unit's steps and their diff, as the dry run planned them or the run did them. The same view
// serves the wizard's plan, its summary and the device page.
import { useI18n } from '../../i18n/i18n'
import { hostKeyChangeOf } from '../host-key/host-key-change'
import { HostKeyNotice } from '../host-key/host-key-notice'
import type { StepReport, UnitResult } from './fleet-result'

const MARK: Record<StepReport['status'], string> = { unchanged: '=', changed: '✓', 'would-change': '~', skipped: '–', failed: '✗' }

export function UnitStatusPill({ status }: { status: UnitResult['status'] }) {
  const { t } = useI18n()
  return <span className={`pill unit-${status}`}>{t(`unit.${status}`)}</span>
}

export function UnitReport({ unit }: { unit: UnitResult }) {
  const { t, say, errorText } = useI18n()
  const keyChange = hostKeyChangeOf(unit.error)
  return (
    <section className="unit-report" data-testid="unit-report" data-target={unit.target}>
      <header>
        <strong className="mono">{unit.target}</strong>
        {unit.line !== undefined && <span className="muted small">{t('prov.line', { n: unit.line })}</span>}
        <UnitStatusPill status={unit.status} />
        {unit.changes > 0 && <span className="muted small">{t('prov.changes', { n: unit.changes })}</span>}
      </header>
      <ul className="steps">
        {unit.steps.map((s) => (
          <li key={s.id} className={`step step-${s.status}`}>
            <span className="mark" aria-hidden>
              {MARK[s.status]}
            </span>
            <span className="step-title">{say(s.titleText, s.title)}</span>
            <span className="muted small">{t(`stepStatus.${s.status}`)}</span>
            {s.note && <span className="muted small note">{say(s.noteText, s.note)}</span>}
            {s.changes.length > 0 && (
              <ul className="diff">
                {s.changes.map((c) => (
                  <li key={c.field} className="mono">
                    {c.field}: <del>{c.from ?? t('prov.none')}</del> → <ins>{c.to}</ins>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
      {unit.handlers.length > 0 && <p className="muted small">{t('prov.handlers', { list: unit.handlers.join(', ') })}</p>}
      {keyChange ? <HostKeyNotice change={keyChange} target={unit.target} /> : unit.error && <p className="field-error">{errorText(unit.error)}</p>}
    </section>
  )
}
