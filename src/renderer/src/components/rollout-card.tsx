// Roll a library model out to many units in stages: the canary units first, the rest only when every
// canary serves it, stopping once failures pass the limit; live bytes, rate and time left, Cancel;
// then one report of which unit got what, how many bytes and how long. Run again to resume: units
// already serving the version are skipped.
import { useEffect, useState, type FormEvent } from 'react'
import { modelPushResultSchema } from '../../../shared/deploy'
import type { Device } from '../../../shared/domain'
import type { ModelRecordDto } from '../../../shared/models'
import { useClient } from '../client/client-context'
import { useI18n } from '../i18n/i18n'
import { JobProgress } from './job-progress'
import { mb, refOf } from './model-ref'
import { useJob } from './provision/use-job'
import { RolloutReport } from './rollout-report'

export function RolloutCard({ models }: { models: ModelRecordDto[] }) {
  const client = useClient()
  const { t, say, errorText } = useI18n()
  const [devices, setDevices] = useState<Device[]>([])
  const [ref, setRef] = useState(models[0] ? refOf(models[0]) : '')
  const [picked, setPicked] = useState<string[]>([])
  const [canary, setCanary] = useState<string[]>([])
  const [maxFail, setMaxFail] = useState('0')
  const [p90, setP90] = useState('')
  const [jobId, setJobId] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const { job } = useJob(jobId)
  const running = job !== null && job.finishedAt === null

  useEffect(() => void client['devices.list']({}).then(setDevices), [client])
  const toggle = (list: string[], id: string) => (list.includes(id) ? list.filter((x) => x !== id) : [...list, id])
  const staged = canary.length > 0
  const limit = Number(maxFail)
  const problemKey =
    picked.length === 0
      ? 'ro.pickUnits'
      : staged && canary.length >= picked.length
        ? 'ro.canaryLeavesNone'
        : !/^\d+$/.test(maxFail.trim())
          ? 'ro.badMaxFail'
          : p90.trim() !== '' && !(Number(p90) > 0)
            ? 'ro.badP90'
            : null
  const problem = problemKey && t(problemKey)

  const start = async (e: FormEvent) => {
    e.preventDefault()
    if (problem || !ref) return
    setError(null)
    try {
      // Units in the order shown: the report lists them the same way.
      const targets = devices.filter((d) => picked.includes(d.id)).map((d) => d.id)
      const r = await client['models.push']({ targets, ref, ...(staged ? { canary: targets.filter((id) => canary.includes(id)), maxFail: limit, ...(p90.trim() ? { gates: { p90Ms: Number(p90) } } : {}) } : {}) })
      setJobId(r.jobId)
    } catch (err) {
      setError(errorText(err))
    }
  }

  const result = modelPushResultSchema.safeParse(job?.result)
  const report = result.success ? result.data : null
  return (
    <section className="card rollout" aria-labelledby="ro-h" data-testid="rollout">
      <div className="card-head">
        <h2 id="ro-h">{t('ro.title')}</h2>
      </div>
      <p className="muted small">{t('ro.intro')}</p>
      <form onSubmit={(e) => void start(e)}>
        <label className="inline">
          <span>{t('mp.model')}</span>
          <select value={ref} onChange={(e) => setRef(e.target.value)} disabled={running}>
            {models.map((m) => (
              <option key={m.sha256 + m.version} value={refOf(m)}>
                {refOf(m)} ({mb(m.sizeBytes)})
              </option>
            ))}
          </select>
        </label>
        {devices.length === 0 ? (
          <p className="empty">{t('ro.noDevices')}</p>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                <th>{t('ro.col.include')}</th>
                <th>{t('ro.col.canary')}</th>
                <th>{t('ro.col.unit')}</th>
                <th>{t('ro.col.address')}</th>
              </tr>
            </thead>
            <tbody>
              {devices.map((d) => (
                <tr key={d.id} data-testid="rollout-device" data-name={d.name}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('ro.include', { unit: d.name })}
                      checked={picked.includes(d.id)}
                      disabled={running}
                      onChange={() => {
                        setPicked((p) => toggle(p, d.id))
                        if (picked.includes(d.id)) setCanary((c) => c.filter((x) => x !== d.id))
                      }}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('ro.canary', { unit: d.name })}
                      checked={canary.includes(d.id)}
                      disabled={running || !picked.includes(d.id)}
                      onChange={() => setCanary((c) => toggle(c, d.id))}
                    />
                  </td>
                  <td className="name">{d.name}</td>
                  <td className="mono">
                    {d.user}@{d.host}
                    {d.port === 22 ? '' : `:${d.port}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="form-row">
          <label className="inline">
            <span>{t('ro.maxFail')}</span>
            <input value={maxFail} onChange={(e) => setMaxFail(e.target.value)} inputMode="numeric" size={4} disabled={running || !staged} aria-invalid={problemKey === 'ro.badMaxFail'} />
          </label>
          <label className="inline">
            <span>{t('ro.p90')}</span>
            <input value={p90} onChange={(e) => setP90(e.target.value)} inputMode="decimal" size={5} placeholder={t('ro.p90Hint')} disabled={running || !staged} />
          </label>
          <button type="submit" className="primary" disabled={running || problem !== null || !ref}>
            {staged ? t('ro.start', { n: picked.length, canary: canary.length }) : t('ro.pushAll', { n: picked.length })}
          </button>
          {problem && picked.length > 0 && <span className="field-error small">{problem}</span>}
        </div>
      </form>
      {error && (
        <p className="form-message error" role="alert">
          {error}
        </p>
      )}
      {job && running && (
        <div className="transfer" aria-live="polite">
          {job.step && <div className="job-step">{say(job.stepText, job.step)}</div>}
          <JobProgress job={job} label={t('mp.transfer')} before={job.total !== null && <span>{t('mp.bytes', { done: mb(job.done), total: mb(job.total) })}</span>} />
        </div>
      )}
      {report && job && !running && <RolloutReport job={job} report={report} />}
    </section>
  )
}
