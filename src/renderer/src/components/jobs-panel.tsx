// Running and recent jobs with step, progress bar, rate, ETA and a Cancel that cancels.
import { useEffect, useState } from 'react'
import type { Job } from '../../../shared/domain'
import { useClient } from '../client/client-context'
import { useI18n } from '../i18n/i18n'
import { isMessageKey, type PlainKey } from '../../../shared/i18n'
import { JobProgress } from './job-progress'
import { hostKeyChangeOf, sameChange } from './host-key/host-key-change'
import { HostKeyNotice } from './host-key/host-key-notice'

export function JobsPanel() {
  const client = useClient()
  const { t, say } = useI18n()
  const [jobs, setJobs] = useState<Job[]>([])
  const kindLabel = (kind: string): string | null => {
    const key = `jobkind.${kind}`
    return isMessageKey(key) ? t(key as PlainKey) : null
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
        {jobs.map((j, i) => (
          <li key={j.id} className={`job job-${j.state}`} data-testid="job">
            <div className="job-head">
              <span className="job-title">
                {kindLabel(j.kind) ?? say(j.titleText, j.title)}
                {kindLabel(j.kind) && <small className="job-sub">{say(j.titleText, j.title)}</small>}
              </span>
              <span className={`pill pill-${j.state}`}>{t(`jobs.state.${j.state}`)}</span>
            </div>
            {j.state === 'running' && (
              <>
                <div className="job-step">{j.step === null ? null : say(j.stepText, j.step)}</div>
                <JobProgress job={j} />
              </>
            )}
            {j.error && j.state !== 'cancelled' && <JobError job={j} newer={jobs.slice(0, i)} />}
          </li>
        ))}
      </ul>
    </section>
  )
}

/** A failed job's reason; a changed host key gets its notice with the way past it (once per change). */
function JobError({ job, newer }: { job: Job; newer: Job[] }) {
  const { t, errorText } = useI18n()
  const change = hostKeyChangeOf(job.error)
  if (!change) return <div className="job-error">{errorText(job.error)}</div>
  const above = newer.some((j) => {
    const c = hostKeyChangeOf(j.error)
    return c !== null && sameChange(c, change)
  })
  if (above) return <div className="job-error">{t('hk.sameAsAbove')}</div>
  return <HostKeyNotice change={change} target={job.deviceId ?? `${change.host}:${change.port}`} />
}
