import { useCallback, useEffect, useState, type DragEvent } from 'react'
import type { CompareReportDto, InspectionDto, ModelRecordDto } from '../../../shared/models'
import { useClient } from '../client/client-context'
import { fileRefFor } from '../client/file-ref'
import { useI18n } from '../i18n/i18n'
import { CompareCard } from '../components/compare-card'
import { ModelDetails } from '../components/model-details'
import { mb, refOf } from '../components/model-ref'
import { QuantizeCard } from '../components/quantize-card'
import { RolloutCard } from '../components/rollout-card'

const precisionLabel: Record<string, string> = {
  fp32: 'FP32', fp16: 'FP16', bf16: 'BF16', fp64: 'FP64', 'int8-qdq': 'INT8 QDQ', 'int8-qoperator': 'INT8 QOperator', unknown: '?'
}

export function ModelsPage() {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [models, setModels] = useState<ModelRecordDto[]>([])
  const [selected, setSelected] = useState<InspectionDto | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)
  const [over, setOver] = useState(false)
  const [report, setReport] = useState<CompareReportDto | null>(null)

  const reload = useCallback(() => void client['models.list']({}).then(setModels), [client])
  useEffect(reload, [reload])

  const importFiles = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      setBusy(file.name)
      try {
        const ref = await fileRefFor(client, file)
        const name = file.name.replace(/\.onnx$/i, '').replace(/[^\p{L}\p{N} ._+-]/gu, '_').slice(0, 64) || 'model'
        const r = await client['models.import']({ file: ref, name })
        setMessage({ kind: 'ok', text: t(r.alreadyPresent ? 'models.already' : 'models.imported', { model: refOf(r.record) }) })
        reload()
      } catch (err) {
        setMessage({ kind: 'error', text: `${file.name}: ${errorText(err)}` })
      } finally {
        setBusy(null)
      }
    }
  }
  const onDrop = (e: DragEvent) => {
    e.preventDefault()
    setOver(false)
    void importFiles(e.dataTransfer.files)
  }

  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>{t('nav.models')}</h1>
          <p className="muted">{t('models.subtitle')}</p>
        </div>
      </header>
      <label
        className={`dropzone${over ? ' over' : ''}`}
        onDragOver={(e) => (e.preventDefault(), setOver(true))}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <input type="file" accept=".onnx" multiple aria-label={t('models.choose')} onChange={(e) => void importFiles(e.target.files)} />
        <strong>{busy ? t('models.importing', { file: busy }) : t('models.drop')}</strong>
        <span className="muted">{t('models.dropHint')}</span>
      </label>
      {message && (
        <p className={`form-message ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
      <section className="card">
        <div className="card-head">
          <h2>
            {t('models.library')} <span className="count">{models.length}</span>
          </h2>
        </div>
        {models.length === 0 ? (
          <p className="empty">{t('models.empty')}</p>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                {(['model', 'precision', 'size', 'params', 'inputs', 'sha'] as const).map((c) => (
                  <th key={c}>{t(`models.col.${c}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr
                  key={m.sha256}
                  data-testid="model-row"
                  data-model={refOf(m)}
                  className={selected?.record?.sha256 === m.sha256 ? 'selected' : ''}
                  onClick={() => void client['models.inspect']({ ref: m.sha256 }).then(setSelected, (e: unknown) => setMessage({ kind: 'error', text: errorText(e) }))}
                >
                  <td className="name">{refOf(m)}</td>
                  <td>
                    <span className={`pill pill-${m.summary.precision.startsWith('int8') ? 'ok' : 'queued'}`}>{precisionLabel[m.summary.precision]}</span>
                  </td>
                  <td>{mb(m.sizeBytes)}</td>
                  <td>{m.summary.parameterCount.toLocaleString()}</td>
                  <td className="mono">{m.summary.inputs.map((i) => `${i.name} [${i.shape?.join('×') ?? '?'}]`).join(', ')}</td>
                  <td className="mono">{m.sha256.slice(0, 12)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {selected && <ModelDetails inspection={selected} />}
      {models.length > 0 && <CompareCard models={models} report={report} onReport={setReport} />}
      {models.length > 0 && <QuantizeCard models={models} onStored={reload} />}
      {models.length > 0 && <RolloutCard models={models} />}
    </div>
  )
}
