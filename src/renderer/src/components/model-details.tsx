import type { InspectionDto } from '../../../shared/models'
import { useI18n } from '../i18n/i18n'

export function ModelDetails({ inspection: r }: { inspection: InspectionDto }) {
  const { t, errorText } = useI18n()
  const s = r.summary
  const ops = Object.entries(s.opHistogram).sort((a, b) => b[1] - a[1])
  return (
    <section className="card" aria-label={t('models.details')}>
      <div className="card-head">
        <h2>{r.record ? `${r.record.name}@${r.record.version}` : t('models.details')}</h2>
        <span className="mono muted">{r.record?.sha256}</span>
      </div>
      <dl className="facts">
        <dt>{t('models.col.precision')}</dt>
        <dd data-testid="model-precision">
          {s.precision}
          {s.quantization && ` · ${s.quantization.format} · ${s.quantization.weightTypes.join('/')}`}
        </dd>
        <dt>Opset</dt>
        <dd>{s.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')} · IR {s.irVersion}</dd>
        <dt>{t('models.col.params')}</dt>
        <dd>
          {s.parameterCount.toLocaleString()} · {(s.initializerBytes / 1e6).toFixed(2)} MB · {s.nodeCount} nodes
        </dd>
        <dt>{t('models.col.inputs')}</dt>
        <dd className="mono">{s.inputs.map((i) => `${i.name}: ${i.elementType} [${i.shape?.join(', ') ?? '?'}]`).join('; ')}</dd>
        <dt>{t('models.outputs')}</dt>
        <dd className="mono">{s.outputs.map((i) => `${i.name}: ${i.elementType} [${i.shape?.join(', ') ?? '?'}]`).join('; ')}</dd>
        <dt>ONNX Runtime</dt>
        <dd>{r.runtime.ok ? t('models.loads', { ms: r.runtime.loadMs.toFixed(0), engine: r.runtime.engine }) : errorText(r.runtime)}</dd>
      </dl>
      <div className="ops">
        {ops.map(([op, n]) => (
          <span key={op} className="pill">
            {op} × {n}
          </span>
        ))}
      </div>
    </section>
  )
}
