// How a rollout ended: why it stopped (if it did), then per unit its stage, outcome, the canary's
// benchmark against the limits, what was sent and how long it took.
import type { ModelPushResult } from '../../../shared/deploy'
import type { Job } from '../../../shared/domain'
import { useI18n } from '../i18n/i18n'
import { SentLine } from './sent-line'

type Unit = ModelPushResult['units'][number]
const served = (u: Unit) => u.outcome === 'pushed' || u.outcome === 'already-current'
// A canary that serves the model but missed a limit is a failure too: its pill says so in red.
const pill = (u: Unit) => (u.outcome === 'skipped' ? 'queued' : served(u) && u.error === null ? 'succeeded' : 'failed')

export function RolloutReport({ job, report }: { job: Job; report: ModelPushResult }) {
  const { t, errorText } = useI18n()
  const stop = report.rollout?.stopped
  return (
    <div data-testid="rollout-report">
      <p className={`form-message ${job.state === 'succeeded' ? 'ok' : 'error'}`} role={job.state === 'succeeded' ? 'status' : 'alert'}>
        {stop
          ? t('ro.stopped', {
              why: stop.reason === 'canary' ? t('ro.why.canary', { units: stop.units.join(', ') }) : t('ro.why.maxFail', { failed: stop.failed, allowed: stop.allowed }),
              version: report.model.version
            })
          : job.state === 'succeeded'
            ? t('ro.done', { n: report.units.length })
            : errorText(job.error)}
      </p>
      <table className="grid">
        <thead>
          <tr>
            {(['unit', 'stage', 'outcome', 'sent', 'time'] as const).map((c) => (
              <th key={c}>{t(`ro.col.${c}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.units.map((u) => (
            <tr key={u.target} data-testid="rollout-row" data-outcome={u.outcome}>
              <td className="name">{u.deviceName ?? u.target}</td>
              <td>{u.stage ? t(`ro.stage.${u.stage}`) : ''}</td>
              <td>
                <span className={`pill pill-${pill(u)}`}>{t(`ro.outcome.${u.outcome}`)}</span>
                {u.gate && (
                  <div className="small" data-testid="rollout-gate">
                    {t(u.gate.missed.length ? 'ro.gateMissed' : 'ro.gateMet', { summary: u.gate.summary, missed: u.gate.missed.join('; ') })}
                  </div>
                )}
                {/* Why a unit failed is the unit's own words; a held-back unit's reason is the line above. */}
                {u.error && u.outcome !== 'skipped' && !u.gate?.missed.length && <div className="small muted">{u.error}</div>}
              </td>
              <td className="small">{served(u) ? <SentLine unit={u} /> : ''}</td>
              <td className="small">{u.durationMs > 0 ? `${(u.durationMs / 1000).toFixed(1)} s` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
