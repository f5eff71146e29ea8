// The chosen cells against the first one chosen: ratios, Mann-Whitney p, and whether the difference
// is beyond run-to-run noise (decided by the station, on the raw samples).
import type { BenchComparison } from '../../../../shared/bench-run'
import { useI18n } from '../../i18n/i18n'
import { cellLabel, formatMs, formatPValue, formatRatio } from './bench-format'
import { CompareChart, letterAt } from './compare-chart'

export function ComparePanel({ comparison }: { comparison: BenchComparison }) {
  const { t } = useI18n()
  const verdict = (s: boolean | null) =>
    s === null ? <span className="muted">{t('bench.cmp.unknown')}</span> : s ? <span className="pill pill-ok">{t('bench.cmp.significant')}</span> : <span className="pill">{t('bench.cmp.noise')}</span>
  return (
    <section className="card" aria-label={t('bench.cmp.title')}>
      <div className="card-head">
        <h2>{t('bench.cmp.title')}</h2>
        <span className="muted small">{t('bench.cmp.hint')}</span>
      </div>
      <div className="bench-compare">
        <CompareChart comparison={comparison} />
        <div className="bench-scroll">
          <table className="grid" data-testid="bench-compare">
            <thead>
              <tr>
                <th />
                <th>{t('bench.col.cell')}</th>
                <th className="num">p50</th>
                <th className="num">{t('bench.cmp.p50Ratio')}</th>
                <th className="num">{t('bench.cmp.p90Ratio')}</th>
                <th className="num">{t('bench.cmp.tputRatio')}</th>
                <th className="num">p</th>
                <th>{t('bench.cmp.verdict')}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td className="mono">{letterAt(0)}</td>
                <td className="name">{cellLabel(comparison.baseline)}</td>
                <td className="num">{formatMs(comparison.baseline.stats?.p50)} ms</td>
                <td colSpan={5} className="muted">{t('bench.cmp.baseline')}</td>
              </tr>
              {comparison.rows.map((r, i) => (
                <tr key={r.cell.id} data-testid="bench-compare-row">
                  <td className="mono">{letterAt(i + 1)}</td>
                  <td className="name">{cellLabel(r.cell)}</td>
                  <td className="num">{formatMs(r.cell.stats?.p50)} ms</td>
                  <td className="num">{formatRatio(r.p50Ratio)}</td>
                  <td className="num">{formatRatio(r.p90Ratio)}</td>
                  <td className="num">{formatRatio(r.throughputRatio)}</td>
                  <td className="num">{formatPValue(r.pValue)}</td>
                  <td>{verdict(r.significant)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  )
}
