// A push or rollback in flight: bytes sent of all, rate, time left, Cancel; then how it ended.
import { modelPushResultSchema } from '../../../../shared/deploy'
import type { Job } from '../../../../shared/domain'
import { useI18n } from '../../i18n/i18n'
import { hostKeyChangeOf } from '../host-key/host-key-change'
import { JobProgress } from '../job-progress'
import { mb } from '../model-ref'
import { SentLine } from '../sent-line'

export function TransferProgress({ job }: { job: Job }) {
  const { t, say, errorText } = useI18n()
  const running = job.finishedAt === null
  // After a push: what went over the link for this unit (a push from the panel has one unit).
  const pushed = modelPushResultSchema.safeParse(job.result)
  const unit = pushed.success ? pushed.data.units[0] : undefined
  return (
    <div className="transfer" data-testid="transfer" aria-live="polite">
      <div className="job-head">
        <span className="job-title">{say(job.titleText, job.title)}</span>
        <span className={`pill pill-${job.state}`}>{t(`jobs.state.${job.state}`)}</span>
      </div>
      {running && (
        <>
          {job.step && <div className="job-step">{say(job.stepText, job.step)}</div>}
          <JobProgress
            job={job}
            label={t('mp.transfer')}
            before={job.unit === 'bytes' && job.total !== null && <span>{t('mp.bytes', { done: mb(job.done), total: mb(job.total) })}</span>}
          />
        </>
      )}
      {unit && (unit.outcome === 'pushed' || unit.outcome === 'already-current') && (
        <div className="muted small" data-testid="transfer-sent">
          <SentLine unit={unit} />
        </div>
      )}
      {job.error && job.state !== 'cancelled' && (
        <div className="job-error" role="alert">
          {/* On the device page the "SSH key changed" notice carries the fingerprints and the re-pin. */}
          {hostKeyChangeOf(job.error) ? t('mp.hostKeyChanged') : errorText(job.error)}
        </div>
      )}
    </div>
  )
}
