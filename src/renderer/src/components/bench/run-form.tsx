// The Run form: which units and models, the preset, and the matrix (threads × batch sizes,
// repeated), plus the optional operator profile and labelled samples, as benchmark_model and
// onnxruntime_perf_test take them on their command lines.
import { useState } from 'react'
import type { Device } from '../../../../shared/domain'
import { HOST_TARGET } from '../../../../shared/bench-run'
import type { ModelRecordDto } from '../../../../shared/models'
import { useClient } from '../../client/client-context'
import { useI18n } from '../../i18n/i18n'
import { refOf } from '../model-ref'
import { startRequest, type Preset, type RunFormValues } from './run-request'

interface Props {
  devices: Device[]
  models: ModelRecordDto[]
  onStarted: (runId: string) => void
}

const PRESETS: Preset[] = ['quick', 'standard', 'mlperf']

export function RunForm({ devices, models, onStarted }: Props) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [v, setV] = useState<RunFormValues>({ targets: [HOST_TARGET], models: [], preset: 'quick', threads: '1', batch: '1', repeat: '1', profileOps: false, digits: false, label: '' })
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const set = <K extends keyof RunFormValues>(k: K, value: RunFormValues[K]) => setV((p) => ({ ...p, [k]: value }))
  const toggle = (k: 'targets' | 'models', id: string, on: boolean) => setV((p) => ({ ...p, [k]: on ? [...p[k], id] : p[k].filter((x) => x !== id) }))
  const chosen = v.models.length > 0 ? v.models : models.length === 1 ? [refOf(models[0] as ModelRecordDto)] : []

  const start = async () => {
    setError(null)
    const r = startRequest({ ...v, models: chosen })
    if (!r.ok) return setError(t(`bench.form.bad.${r.problem}`))
    setBusy(true)
    try {
      onStarted((await client['bench.start'](r.input)).runId)
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card" aria-label={t('bench.form.title')}>
      <div className="card-head">
        <h2>{t('bench.form.title')}</h2>
      </div>
      <div className="bench-form">
        <fieldset className="pick-list">
          <legend>{t('bench.form.units')}</legend>
          <label className="pick">
            <input type="checkbox" checked={v.targets.includes(HOST_TARGET)} onChange={(e) => toggle('targets', HOST_TARGET, e.target.checked)} />
            <span className="name">{t('bench.form.host')}</span>
            <span className="muted small">{t('bench.form.hostHint')}</span>
          </label>
          {devices.map((d) => (
            <label key={d.id} className="pick">
              <input type="checkbox" checked={v.targets.includes(d.id)} onChange={(e) => toggle('targets', d.id, e.target.checked)} />
              <span className="name">{d.name}</span>
              <span className="muted small mono">
                {d.user}@{d.host}
                {d.model ? ` · ${d.model}` : ''}
              </span>
            </label>
          ))}
        </fieldset>
        <fieldset className="pick-list">
          <legend>{t('bench.form.models')}</legend>
          {models.length === 0 && <p className="muted">{t('bench.form.noModels')}</p>}
          {models.map((m) => (
            <label key={m.sha256} className="pick">
              <input type="checkbox" checked={chosen.includes(refOf(m))} onChange={(e) => toggle('models', refOf(m), e.target.checked)} />
              <span className="name mono">{refOf(m)}</span>
              <span className="muted small">{m.summary.precision}</span>
            </label>
          ))}
        </fieldset>
        <div className="bench-settings">
          <label>
            <span>{t('bench.form.preset')}</span>
            <select value={v.preset} onChange={(e) => set('preset', e.target.value as Preset)}>
              {PRESETS.map((p) => (
                <option key={p} value={p}>
                  {t(`bench.preset.${p}`)} — {t(`bench.presetHint.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('bench.form.threads')}</span>
            <input value={v.threads} onChange={(e) => set('threads', e.target.value)} placeholder="1,2,4" />
          </label>
          <label>
            <span>{t('bench.form.batch')}</span>
            <input value={v.batch} onChange={(e) => set('batch', e.target.value)} placeholder="1,8" />
          </label>
          <label>
            <span>{t('bench.form.repeat')}</span>
            <input value={v.repeat} onChange={(e) => set('repeat', e.target.value)} inputMode="numeric" />
          </label>
          <label>
            <span>{t('bench.form.label')}</span>
            <input value={v.label} onChange={(e) => set('label', e.target.value)} placeholder={t('bench.form.labelHint')} maxLength={200} />
          </label>
          <label className="check">
            <input type="checkbox" checked={v.profileOps} onChange={(e) => set('profileOps', e.target.checked)} />
            <span>{t('bench.form.profileOps')}</span>
          </label>
          <label className="check">
            <input type="checkbox" checked={v.digits} onChange={(e) => set('digits', e.target.checked)} />
            <span>{t('bench.form.digits')}</span>
          </label>
        </div>
      </div>
      <p className="muted small">{t('bench.form.threadsHint')}</p>
      {error && <p className="form-message error" role="alert">{error}</p>}
      <div className="wizard-nav">
        <button className="primary" onClick={() => void start()} disabled={busy}>
          {busy ? t('bench.form.starting') : t('bench.form.start')}
        </button>
      </div>
    </section>
  )
}
