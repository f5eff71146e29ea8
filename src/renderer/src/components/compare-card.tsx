import { useEffect, useState } from 'react'
import type { CompareReportDto, ModelRecordDto } from '../../../shared/models'
import { useClient } from '../client/client-context'
import { useI18n } from '../i18n/i18n'
import { refOf } from './model-ref'

const pct = (x: number) => `${(x * 100).toFixed(2)}%`

export function CompareCard({ models, report, onReport }: { models: ModelRecordDto[]; report: CompareReportDto | null; onReport: (r: CompareReportDto | null) => void }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [a, setA] = useState(refOf(models[0] as ModelRecordDto))
  const [b, setB] = useState(refOf((models[1] ?? models[0]) as ModelRecordDto))
  const [jobId, setJobId] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    if (!jobId) return
    return client.on('jobs.updated', (j) => {
      if (j.id !== jobId || !j.finishedAt) return
      setJobId(null)
      if (j.state === 'succeeded') onReport(j.result as CompareReportDto)
      else if (j.error) setError(errorText(j.error))
    })
  }, [client, jobId, onReport, errorText])

  const start = async () => {
    setError(null)
    onReport(null)
    try {
      setJobId((await client['models.compare']({ a, b, samples: { builtin: 'digits-100' } })).jobId)
    } catch (err) {
      setError(errorText(err))
    }
  }
  const pick = (value: string, set: (v: string) => void, label: string) => (
    <label>
      <span>{label}</span>
      <select value={value} onChange={(e) => set(e.target.value)} aria-label={label}>
        {models.map((m) => (
          <option key={m.sha256} value={refOf(m)}>
            {refOf(m)} ({m.summary.precision})
          </option>
        ))}
      </select>
    </label>
  )

  return (
    <section className="card" aria-label={t('models.compare')}>
      <div className="card-head">
        <h2>{t('models.compare')}</h2>
      </div>
      <div className="compare-form">
        {pick(a, setA, t('models.compareA'))}
        {pick(b, setB, t('models.compareB'))}
        <span className="muted">{t('models.samplesDemo')}</span>
        <button className="primary" onClick={() => void start()} disabled={jobId !== null}>
          {jobId ? t('models.comparing') : t('models.compareRun')}
        </button>
      </div>
      {error && <p className="form-message error" role="alert">{error}</p>}
      {report && (
        <table className="grid" data-testid="compare-report">
          <thead>
            <tr>
              <th>{t('models.col.model')}</th>
              <th>{t('models.accuracy')}</th>
              <th>p50</th>
              <th>p95</th>
            </tr>
          </thead>
          <tbody>
            {[report.a, report.b].map((m, i) => (
              <tr key={i}>
                <td className="name">{m.label}</td>
                <td>
                  {pct(m.accuracy)} ({m.correct}/{report.samples})
                </td>
                <td>{m.latency.p50Ms.toFixed(3)} ms</td>
                <td>{m.latency.p95Ms.toFixed(3)} ms</td>
              </tr>
            ))}
            <tr>
              <td colSpan={4} className="muted">
                {t('models.agreement', { pct: pct(report.top1Agreement), n: report.agreeing, total: report.samples })} ·{' '}
                {t('models.outputError', { abs: report.outputError.maxAbs.toExponential(2), rel: report.outputError.maxRel.toExponential(2) })}
              </td>
            </tr>
          </tbody>
        </table>
      )}
    </section>
  )
}
