// Step 3: the dry run's per-unit diff. Nothing has been changed on any unit at this point.
import type { Job } from '../../../../shared/domain'
import { useClient } from '../../client/client-context'
import { useI18n } from '../../i18n/i18n'
import type { FleetResult } from './fleet-result'
import { UnitReport } from './unit-report'

export function PlanView({ job, result }: { job: Job | null; result: FleetResult | null }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  if (!result) {
    if (job?.finishedAt && job.error) return <p className="form-message error" role="alert">{errorText(job.error)}</p>
    return (
      <div className="wizard-body">
        <p className="muted" role="status">
          {t('prov.planning', { done: job?.done ?? 0, total: job?.total ?? '…' })}
        </p>
        <div className="run-head">
          <div className="bar grow" role="progressbar" aria-valuenow={Math.round(job?.percent ?? 0)} aria-valuemin={0} aria-valuemax={100}>
            <div style={{ width: `${job?.percent ?? 0}%` }} />
          </div>
          {/* A unit that never answers holds the dry run until the SSH timeout: let the technician stop it. */}
          {job && (
            <button className="danger-outline" onClick={() => void client['jobs.cancel']({ id: job.id })}>
              {t('prov.cancelDryRun')}
            </button>
          )}
        </div>
      </div>
    )
  }
  const s = result.summary
  return (
    <div className="wizard-body">
      <p className="plan-note" role="status">
        {t('prov.planSummary', {
          would: t('prov.plan.would', { n: s.wouldChange }),
          same: t('prov.plan.same', { n: s.unchanged }),
          failed: t('prov.plan.failed', { n: s.failed }),
          changes: t('prov.changes', { n: s.changes })
        })}
      </p>
      {result.units.map((u) => (
        <UnitReport key={u.target} unit={u} />
      ))}
    </div>
  )
}
