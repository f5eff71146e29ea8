// Running and recent jobs with step, progress bar, rate, ETA and a Cancel that cancels.
import { useEffect, useState } from 'react'
import type { Job } from '../../../shared/domain'
import { useClient } from '../client/client-context'
import { useI18n } from '../i18n/i18n'
import { dictionaries, type StringKey } from '../i18n/strings'
import { formatEta, formatRate } from '../../../shared/format'

export function JobsPanel() {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [jobs, setJobs] = useState<Job[]>([])
  const kindLabel = (kind: string): string | null => {
    const key = `jobkind.${kind}` as StringKey
    return key in dictionaries.en ? t(key) : null
  }

  useEffect(() => {
    void client['jobs.list']({ limit: 8 }).then(setJobs)
    return client.on('jobs.updated', (job) =>
      setJobs((prev) => [job, ...prev.filter((j) => j.id !== job.id)].sort((a, b) => b.createdAt - a.createdAt).slice(0, 8))
    )
  }, [client])

  return (
    <section className="jobs" aria-label={t('jobs.title')}>
      <h2>{t('jobs.title')}</h2>
      {jobs.length === 0 && <p className="muted">{t('jobs.none')}</p>}
      <ul>
        {jobs.map((j) => (
          <li key={j.id} className={`job job-${j.state}`} data-testid="job">
            <div className="job-head">
              <span className="job-title">
                {kindLabel(j.kind) ?? j.title}
                {kindLabel(j.kind) && <small className="job-sub">{j.title}</small>}
              </span>
              <span className={`pill pill-${j.state}`}>{t(`jobs.state.${j.state}`)}</span>
            </div>
            {j.state === 'running' && (
              <>
                <div className="job-step">{j.step}</div>
                <div className="bar" role="progressbar" aria-valuenow={Math.round(j.percent ?? 0)} aria-valuemin={0} aria-valuemax={100}>
                  <div style={{ width: `${j.percent ?? 0}%` }} />
                </div>
                <div className="job-meta">
                  <span>{j.percent !== null ? `${j.percent.toFixed(0)}%` : ''}</span>
                  <span>{formatRate(j.rate, j.unit)}</span>
                  <span>{j.etaSeconds !== null ? t('jobs.left', { t: formatEta(j.etaSeconds) }) : ''}</span>
                  <button className="link" onClick={() => void client['jobs.cancel']({ id: j.id })}>
                    {t('jobs.cancel')}
                  </button>
                </div>
              </>
            )}
            {j.error && j.state !== 'cancelled' && <div className="job-error">{errorText(j.error)}</div>}
          </li>
        ))}
      </ul>
    </section>
  )
}
