// Where the time goes inside the model (ONNX Runtime's op profiler): the ten most expensive
// operator types, as onnxruntime_perf_test's -p summary shows them.
import type { BenchProfile } from '../../../../shared/bench-result'
import { useI18n } from '../../i18n/i18n'

export function ProfileTable({ profile }: { profile: BenchProfile }) {
  const { t } = useI18n()
  if (!profile.available) return <p className="muted">{t('bench.prof.none', { reason: profile.reason })}</p>
  return (
    <div>
      <h3>{t('bench.prof.title')}</h3>
      <table className="grid" data-testid="bench-profile">
        <thead>
          <tr>
            <th>{t('bench.prof.op')}</th>
            <th className="num">{t('bench.prof.calls')}</th>
            <th className="num keep-case">{t('bench.prof.avg')}</th>
            <th className="num">{t('bench.prof.share')}</th>
          </tr>
        </thead>
        <tbody>
          {profile.topOpTypes.slice(0, 10).map((e) => (
            <tr key={e.opType}>
              <td className="mono">{e.opType}</td>
              <td className="num">{e.calls.toLocaleString()}</td>
              <td className="num">{e.avgUsPerRun.toFixed(1)}</td>
              <td className="num">
                <span className="bench-share" style={{ width: `${Math.min(100, e.percent)}%` }} />
                {e.percent.toFixed(1)}%
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
