// The latency distribution of the chosen cells as CDFs: x is ms, y the fraction of runs at or under
// it. A CDF rather than a histogram because lines of very different run counts stay comparable and
// the tail (p99) reads straight off the top of the plot, as in MLPerf's latency reports.
import { useEffect, useMemo, useState } from 'react'
import uPlot from 'uplot'
import { useClient } from '../../client/client-context'
import { useI18n } from '../../i18n/i18n'
import { alignLines, cdfOf, type CdfLine } from './cdf'
import { colorAt } from './chart-colors'
import { formatMs } from './bench-format'
import { UPlotChart } from './uplot-chart'

export interface ChartCell {
  id: string
  label: string
}

export function LatencyCdfChart({ cells }: { cells: ChartCell[] }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [lines, setLines] = useState<Record<string, CdfLine>>({})
  const [error, setError] = useState<string | null>(null)
  const ids = cells.map((c) => c.id).join(',')

  useEffect(() => {
    let alive = true
    const missing = ids.split(',').filter((id) => id !== '' && !lines[id])
    if (missing.length === 0) return
    void Promise.all(missing.map(async (id) => [id, cdfOf(await client['bench.samples']({ cellId: id }))] as const)).then(
      (got) => alive && setLines((prev) => ({ ...prev, ...Object.fromEntries(got) })),
      (e: unknown) => alive && setError(errorText(e))
    )
    return () => {
      alive = false
    }
  }, [client, ids, lines, errorText])

  const shown = cells.filter((c) => (lines[c.id]?.x.length ?? 0) > 0)
  const shownKey = shown.map((c) => c.id).join(',')
  const data = useMemo(() => alignLines(shown.map((c) => lines[c.id] as CdfLine)) as uPlot.AlignedData, [shownKey, lines]) // eslint-disable-line react-hooks/exhaustive-deps
  const xs = data[0] as number[]
  // A tail ten times the fastest run squeezes every line against the left edge on a linear axis.
  const log = xs.length > 1 && (xs[0] as number) > 0 && (xs[xs.length - 1] as number) / (xs[0] as number) > 8
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: { x: log ? { time: false, distr: 3, log: 10, range: (_u, min, max) => [min * 0.95, max * 1.05] } : { time: false }, y: { range: [0, 1] } },
      axes: [
        { label: log ? t('bench.chart.msLog') : t('bench.chart.ms'), ...(log ? { filter: (_u: uPlot, splits: number[]) => splits } : {}), values: (_u, splits) => splits.map((v) => (log && !roundMantissa(v) ? '' : formatMs(v))) },
        { label: t('bench.chart.fraction'), values: (_u, splits) => splits.map((v) => `${Math.round(v * 100)}%`) }
      ],
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: t('bench.chart.ms'), value: (_u, v) => (v === null ? '—' : `${formatMs(v)} ms`) },
        ...shown.map((c, i) => ({
          label: c.label,
          stroke: colorAt(cells.indexOf(c) >= 0 ? cells.indexOf(c) : i),
          width: 2,
          spanGaps: true,
          paths: uPlot.paths.stepped?.({ align: 1 }),
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`)
        }))
      ]
    }),
    [shownKey, log, t] // eslint-disable-line react-hooks/exhaustive-deps
  )

  return (
    <section className="card" aria-label={t('bench.chart.cdf')}>
      <div className="card-head">
        <h2>{t('bench.chart.cdf')}</h2>
        <span className="muted small">{t('bench.chart.cdfHint')}</span>
      </div>
      {error && <p className="form-message error" role="alert">{error}</p>}
      {shown.length === 0 ? (
        <p className="empty">{cells.length === 0 ? t('bench.chart.pick') : t('bench.chart.noSamples')}</p>
      ) : (
        <UPlotChart options={options} data={data} height={280} label={t('bench.chart.cdf')} testId="bench-cdf" />
      )}
    </section>
  )
}

/** On a log axis only 1, 2 and 5 of each decade get a label; the others keep their grid line. */
function roundMantissa(v: number): boolean {
  const m = v / 10 ** Math.floor(Math.log10(v))
  return [1, 2, 5].some((k) => Math.abs(m - k) < 1e-6)
}
