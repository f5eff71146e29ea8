// The Models page's Quantize action: pick a float model, a method (suggested from its op mix), a
// calibration set, per-channel and exclusions; follow the job; then the original and the new version
// side by side (size, accuracy, latency), with flags for a slower or less accurate result.
import { useEffect, useState } from 'react'
import type { Job } from '../../../shared/domain'
import type { QuantizeMethodDto, QuantizeResultDto } from '../../../shared/contract-quantize'
import { catalogues, isMessageKey } from '../../../shared/i18n'
import { formatMessage } from '../../../shared/i18n/message'
import type { ModelRecordDto } from '../../../shared/models'
import { useClient } from '../client/client-context'
import { fileRefFor, type FileRef } from '../client/file-ref'
import { useI18n } from '../i18n/i18n'
import { JobProgress } from './job-progress'
import { mb, refOf } from './model-ref'

const methods: QuantizeMethodDto[] = ['static', 'dynamic', 'fp16']
const pct = (x: number) => `${(x * 100).toFixed(2)}%`
const ms = (x: number) => `${x.toFixed(3)} ms`
type Calibration = 'none' | 'demo' | 'file'

export function QuantizeCard({ models, onStored }: { models: ModelRecordDto[]; onStored: () => void }) {
  const client = useClient()
  const { t, errorText, lang } = useI18n()
  const floats = models.filter((m) => !m.summary.quantization && m.summary.precision !== 'fp16')
  const [open, setOpen] = useState(false)
  const [ref, setRef] = useState('')
  const [method, setMethod] = useState<QuantizeMethodDto>('static')
  const [reason, setReason] = useState('')
  const [calibration, setCalibration] = useState<Calibration>('demo')
  const [file, setFile] = useState<File | null>(null)
  const [perChannel, setPerChannel] = useState(true)
  const [exclude, setExclude] = useState('')
  const [job, setJob] = useState<Job | null>(null)
  // Refused here as the API refuses it: static INT8 measures activation ranges on real inputs.
  const needsCalibration = method === 'static' && calibration === 'none'
  const [result, setResult] = useState<QuantizeResultDto | null>(null)
  const [error, setError] = useState<string | null>(null)
  const model = ref || (floats[0] ? refOf(floats[0]) : '')

  // The suggestion follows the model and whether a calibration set is given.
  useEffect(() => {
    if (!open || !model) return
    let live = true
    void client['models.quantizeAdvice']({ ref: model, calibration: calibration !== 'none' }).then((a) => {
      if (!live) return
      if (a.method) setMethod(a.method)
      const words = isMessageKey(a.reason) ? formatMessage(catalogues[lang][a.reason], lang, { conv: a.conv, matmul: a.matmul }) : a.reason
      // Chinese sentences follow each other without a space.
      setReason(a.method ? `${t('quantize.suggested', { method: t(`quantize.method.${a.method}`) })}${lang === 'zh' ? '' : ' '}${words}` : words)
    }, () => setReason(''))
    return () => {
      live = false
    }
  }, [client, open, model, calibration, lang, t])

  useEffect(() => {
    if (!job) return
    return client.on('jobs.updated', (j) => {
      if (j.id !== job.id) return
      if (!j.finishedAt) return setJob(j)
      setJob(null)
      if (j.state === 'succeeded') {
        setResult(j.result as QuantizeResultDto)
        onStored()
      } else if (j.error) setError(errorText(j.error))
    })
  }, [client, job, onStored, errorText])

  const start = async () => {
    setError(null)
    setResult(null)
    try {
      let cal: FileRef | { builtin: 'digits-100' } | undefined
      if (calibration === 'demo') cal = { builtin: 'digits-100' }
      else if (calibration === 'file' && file) cal = await fileRefFor(client, file)
      const names = exclude.split(',').map((s) => s.trim()).filter(Boolean)
      const { jobId } = await client['models.quantize']({ ref: model, method, calibration: cal, perChannel, exclude: names, calibrate: 'minmax', activations: 'uint8' })
      setJob({ id: jobId, percent: null, rate: null, etaSeconds: null, unit: 'items' } as Job)
    } catch (err) {
      setError(errorText(err))
    }
  }

  if (!open) {
    return (
      <section className="card" aria-label={t('quantize.title')}>
        <div className="card-head">
          <h2>{t('quantize.title')}</h2>
          <button className="primary" onClick={() => setOpen(true)} disabled={floats.length === 0}>
            {t('quantize.open')}
          </button>
        </div>
      </section>
    )
  }

  return (
    <section className="card" aria-label={t('quantize.title')}>
      <div className="card-head">
        <h2>{t('quantize.title')}</h2>
      </div>
      <div className="compare-form">
        <label>
          <span>{t('quantize.model')}</span>
          <select value={model} onChange={(e) => setRef(e.target.value)} aria-label={t('quantize.model')}>
            {floats.map((m) => (
              <option key={m.sha256} value={refOf(m)}>
                {refOf(m)} ({m.summary.precision})
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('quantize.method')}</span>
          <select value={method} onChange={(e) => setMethod(e.target.value as QuantizeMethodDto)} aria-label={t('quantize.method')}>
            {methods.map((m) => (
              <option key={m} value={m}>
                {t(`quantize.method.${m}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t('quantize.calibration')}</span>
          <select value={calibration} onChange={(e) => setCalibration(e.target.value as Calibration)} aria-label={t('quantize.calibration')}>
            {(['demo', 'file', 'none'] as const).map((c) => (
              <option key={c} value={c}>
                {t(`quantize.calibration.${c}`)}
              </option>
            ))}
          </select>
        </label>
        {calibration === 'file' && (
          <label>
            <span>{t('quantize.calibration.file')}</span>
            <input type="file" accept=".json" aria-label={t('quantize.calibration.file')} onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
        )}
        <label>
          <span>{t('quantize.exclude')}</span>
          <input value={exclude} onChange={(e) => setExclude(e.target.value)} placeholder={t('quantize.excludeHint')} aria-label={t('quantize.exclude')} />
        </label>
        <label className="checkbox">
          <span>{t('quantize.perChannel')}</span>
          <input type="checkbox" checked={perChannel} onChange={(e) => setPerChannel(e.target.checked)} aria-label={t('quantize.perChannel')} />
        </label>
        <button className="primary" onClick={() => void start()} disabled={job !== null || !model || (calibration === 'file' && !file) || needsCalibration}>
          {job ? t('quantize.running') : t('quantize.start')}
        </button>
      </div>
      {needsCalibration && (
        <p className="form-message error" role="alert" data-testid="quantize-needs-calibration">
          {t('quantize.needsCalibration')}
        </p>
      )}
      {reason && <p className="muted" data-testid="quantize-advice">{reason}</p>}
      {job && <JobProgress job={job} label={t('quantize.running')} />}
      {error && <p className="form-message error" role="alert">{error}</p>}
      {result && <QuantizeResult result={result} />}
    </section>
  )
}

function QuantizeResult({ result: r }: { result: QuantizeResultDto }) {
  const { t, lang } = useI18n()
  const c = r.compare
  const ops = (x: Record<string, number>) => Object.entries(x).map(([op, n]) => `${op} ${n}`).join(', ') || t('quantize.noOps')
  const rows = [
    { label: t('quantize.original', { model: r.parent.ref }), size: r.sizeBytes.before, accuracy: c.accuracy?.before, latency: c.latency.before },
    { label: `${r.model.ref} (${t(`quantize.method.${r.method}`)})`, size: r.sizeBytes.after, accuracy: c.accuracy?.after, latency: c.latency.after }
  ]
  return (
    <div data-testid="quantize-result">
      <p className="form-message ok" role="status">
        {t('quantize.stored', { model: r.model.ref, ratio: `${r.sizeRatio.toFixed(2)}×` })}
      </p>
      <table className="grid">
        <thead>
          <tr>
            <th>{t('models.col.model')}</th>
            <th>{t('quantize.col.size')}</th>
            <th>{t('quantize.col.accuracy')}</th>
            <th>p50</th>
            <th>p90</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <td className="name">{row.label}</td>
              <td>{mb(row.size)}</td>
              <td>{row.accuracy === undefined ? '–' : pct(row.accuracy)}</td>
              <td>{ms(row.latency.p50Ms)}</td>
              <td>{ms(row.latency.p90Ms)}</td>
            </tr>
          ))}
          <tr>
            <td colSpan={5} className="muted">
              {t('quantize.summary', { agreement: pct(c.agreement), cosine: c.cosine.mean.toFixed(4), rel: c.relError.max.toExponential(2) })}
              {lang === 'zh' ? '，' : ' '}
              {c.inputs === 'seeded' ? t('quantize.onSeeded', { n: c.samples, threads: c.threads }) : t('quantize.onCalibration', { n: c.samples, threads: c.threads })}
            </td>
          </tr>
          <tr>
            <td colSpan={5} className="muted">
              {t('quantize.ops', { ops: ops(r.quantized), kept: ops(r.keptFloat) })}
            </td>
          </tr>
        </tbody>
      </table>
      <OpHistogram before={r.opsBefore} after={r.opsAfter} />
      {c.flags.map((f) => (
        <p key={f} className="form-message error" data-testid="quantize-flag">
          {t(`quantize.flag.${f}`)}
        </p>
      ))}
      <a href="#/devices">{t('quantize.push')} →</a>
    </div>
  )
}

/** Node count per operator, original against quantized: where the QuantizeLinear/DequantizeLinear
 *  pairs went and which float ops remain. Most frequent first; unchanged counts are muted. */
function OpHistogram({ before, after }: { before: Record<string, number>; after: Record<string, number> }) {
  const { t } = useI18n()
  const ops = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(
    (a, b) => Math.max(after[b] ?? 0, before[b] ?? 0) - Math.max(after[a] ?? 0, before[a] ?? 0) || a.localeCompare(b)
  )
  return (
    <details className="op-histogram" data-testid="quantize-ops">
      <summary>{t('quantize.opHistogram')}</summary>
      <table className="grid">
        <thead>
          <tr>
            <th>{t('quantize.col.op')}</th>
            <th>{t('quantize.col.before')}</th>
            <th>{t('quantize.col.after')}</th>
          </tr>
        </thead>
        <tbody>
          {ops.map((op) => (
            <tr key={op} className={(before[op] ?? 0) === (after[op] ?? 0) ? 'muted' : undefined}>
              <td className="name">{op}</td>
              <td>{before[op] ?? 0}</td>
              <td>{after[op] ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  )
}
