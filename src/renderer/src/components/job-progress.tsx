// A running job's bar, percent, rate, time left and Cancel: the same block wherever a job shows
// (jobs panel, the Devices page's scan, the Model panel's transfer), so they read alike.
import type { ReactNode } from 'react'
import type { Job } from '../../../shared/domain'
import { formatEta, formatRate } from '../../../shared/format'
import { useClient } from '../client/client-context'
import { useI18n } from '../i18n/i18n'

export function JobProgress({ job, label, before }: { job: Job; label?: string; before?: ReactNode }) {
  const client = useClient()
  const { t } = useI18n()
  return (
    <>
      <div className="bar" role="progressbar" aria-label={label} aria-valuenow={Math.round(job.percent ?? 0)} aria-valuemin={0} aria-valuemax={100}>
        <div style={{ width: `${job.percent ?? 0}%` }} />
      </div>
      <div className="job-meta">
        {before}
        <span>{job.percent !== null ? `${job.percent.toFixed(0)}%` : ''}</span>
        <span>{formatRate(job.rate, job.unit)}</span>
        <span>{job.etaSeconds !== null ? t('jobs.left', { t: formatEta(job.etaSeconds) }) : ''}</span>
        <button className="link" onClick={() => void client['jobs.cancel']({ id: job.id })}>
          {t('jobs.cancel')}
        </button>
      </div>
    </>
  )
}
