// p50 and p90 of each compared cell side by side, baseline first, each bar labelled with its ratio
// to the baseline's, so "how much faster" is read without doing the division.
import { useMemo } from 'react'
import uPlot from 'uplot'
import type { BenchComparison } from '../../../../shared/bench-run'
import { useI18n } from '../../i18n/i18n'
import { formatMs, formatRatio } from './bench-format'
import { colorAt } from './chart-colors'
import { UPlotChart } from './uplot-chart'

/** Letters name the bars; the table beside the chart says which cell each letter is. */
export const letterAt = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : `#${i + 1}`)

export function CompareChart({ comparison }: { comparison: BenchComparison }) {
  const { t } = useI18n()
  const { data, options } = useMemo(() => {
    const cells = [comparison.baseline, ...comparison.rows.map((r) => r.cell)]
    const ratios = [{ p50: 1, p90: 1 }, ...comparison.rows.map((r) => ({ p50: r.p50Ratio, p90: r.p90Ratio }))]
    const xs = cells.map((_, i) => i)
    const p50 = cells.map((c) => c.stats?.p50 ?? null)
    const p90 = cells.map((c) => c.stats?.p90 ?? null)
    const bars = (align: -1 | 1) => uPlot.paths.bars?.({ size: [0.34, 48], align, gap: 2 })
    const labelBars = (u: uPlot) => {
      const ctx = u.ctx
      ctx.save()
      ctx.font = `${Math.round(11 * uPlot.pxRatio)}px system-ui, sans-serif`
      ctx.fillStyle = '#17202a'
      ctx.textAlign = 'center'
      ctx.textBaseline = 'bottom'
      const barW = Math.min(u.bbox.width / cells.length * 0.34, 48 * uPlot.pxRatio)
      for (const [i, r] of ratios.entries()) {
        for (const [key, side, ratio] of [['p50', -1, r.p50], ['p90', 1, r.p90]] as const) {
          const v = key === 'p50' ? p50[i] : p90[i]
          if (v === null || v === undefined) continue
          const x = u.valToPos(i, 'x', true) + (side * barW) / 2
          const y = u.valToPos(v, 'y', true) - 3 * uPlot.pxRatio
          ctx.fillText(i === 0 ? formatMs(v) : formatRatio(ratio), x, y)
        }
      }
      ctx.restore()
    }
    const opts: Omit<uPlot.Options, 'width' | 'height'> = {
      scales: {
        x: { time: false, range: () => [-0.6, cells.length - 0.4] },
        y: { range: (_u, _min, max) => [0, (max || 1) * 1.18] }
      },
      axes: [
        { splits: () => xs, values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? letterAt(v) : '')), grid: { show: false } },
        { label: t('bench.chart.ms'), values: (_u, splits) => splits.map((v) => formatMs(v)) }
      ],
      cursor: { drag: { x: false, y: false } },
      legend: { live: false },
      hooks: { draw: [labelBars] },
      series: [
        {},
        { label: 'p50', fill: `${colorAt(0)}cc`, stroke: colorAt(0), paths: bars(-1), points: { show: false } },
        { label: 'p90', fill: `${colorAt(1)}cc`, stroke: colorAt(1), paths: bars(1), points: { show: false } }
      ]
    }
    return { data: [xs, p50, p90] as uPlot.AlignedData, options: opts }
  }, [comparison, t])
  return <UPlotChart options={options} data={data} height={240} label={t('bench.chart.compare')} testId="bench-compare-chart" />
}
