// Step 4: the run, live: units done of all, and for each unit its steps as they go, with Cancel.
import type { Job, JobLogLine } from '../../../../shared/domain'
import { formatEta } from '../../../../shared/format'
import { useClient } from '../../client/client-context'
import { useI18n } from '../../i18n/i18n'
import type { UnitResult } from './fleet-result'
import { liveUnits, type LiveStepState } from './live-units'
import { UnitStatusPill } from './unit-report'

const MARK: Record<LiveStepState, string> = { pending: '·', running: '▸', unchanged: '=', changed: '✓', skipped: '–', failed: '✗' }

export function RunProgress({ job, log, plan }: { job: Job | null; log: JobLogLine[]; plan: readonly UnitResult[] }) {
  const client = useClient()
  const { t, say } = useI18n()
  const units = liveUnits(plan, log, job?.step ?? null)
  const running = job !== null && job.finishedAt === null
  return (
    <div className="wizard-body">
      <div className="run-head">
        <div className="bar grow" role="progressbar" aria-label={t('prov.progress')} aria-valuenow={Math.round(job?.percent ?? 0)} aria-valuemin={0} aria-valuemax={100}>
          <div style={{ width: `${job?.percent ?? 0}%` }} />
        </div>
        <span className="muted small nowrap">
          {t('prov.unitsDone', { done: job?.done ?? 0, total: job?.total ?? plan.length })}
          {job?.etaSeconds != null && running ? ` · ${t('jobs.left', { t: formatEta(job.etaSeconds) })}` : ''}
        </span>
        {running && (
          <button className="danger-outline" onClick={() => job && void client['jobs.cancel']({ id: job.id })}>
            {t('prov.cancel')}
          </button>
        )}
      </div>
      <ul className="live-units">
        {units.map((u) => (
          <li key={u.target} data-testid="live-unit" data-target={u.target}>
            <div className="live-head">
              <strong className="mono">{u.target}</strong>
              {u.status ? <UnitStatusPill status={u.status} /> : <span className="pill">{u.started ? t('prov.working') : t('prov.waiting')}</span>}
            </div>
            <ol className="live-steps">
              {u.steps.map((s) => (
                <li key={s.id} className={`live-step live-${s.state}`} title={t(`live.${s.state}`)}>
                  <span aria-hidden>{MARK[s.state]}</span> {say(s.titleText, s.title)}
                  <span className="sr-only"> ({t(`live.${s.state}`)})</span>
                </li>
              ))}
            </ol>
            {u.last && !u.status && <div className="muted small mono live-last">{u.last}</div>}
          </li>
        ))}
      </ul>
    </div>
  )
}
