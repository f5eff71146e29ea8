// One cell of a run: its settings, its figures when measured, its live phase while running, and
// why it cannot be trusted (invalid) or did not finish (failed), in the row itself.
import { Fragment } from 'react'
import type { BenchCell } from '../../../../shared/bench-run'
import { useI18n } from '../../i18n/i18n'
import { etaText, formatMs, formatPercent, threadsText } from './bench-format'
import { EnvSummary } from './env-summary'
import { cancelText, reasonText } from './invalid-reason'
import { ProfileTable } from './profile-table'

/** The checkbox, where/model, threads, batch, run, eight figures, and the verdict. */
export const CELL_COLUMNS = 14

interface Props {
  cell: BenchCell
  selected: boolean
  expanded: boolean
  onSelect: (on: boolean) => void
  onExpand: () => void
}

export function CellRow({ cell, selected, expanded, onSelect, onExpand }: Props) {
  const { t } = useI18n()
  const s = cell.stats
  const measured = s !== null && s.runs > 0
  const invalid = measured && !cell.valid
  return (
    <Fragment>
      <tr data-testid="bench-cell" data-cell={cell.id} data-state={cell.state} className={`${selected ? 'selected' : ''}${invalid ? ' bench-invalid' : ''}`}>
        <td className="bench-pick">
          <input type="checkbox" checked={selected} disabled={!measured} onChange={(e) => onSelect(e.target.checked)} aria-label={t('bench.select')} />
          {cell.result && (
            <button className="link bench-disclose" onClick={onExpand} aria-expanded={expanded} aria-label={expanded ? t('bench.hide') : t('bench.details')} title={expanded ? t('bench.hide') : t('bench.details')}>
              {expanded ? '▾' : '▸'}
            </button>
          )}
        </td>
        <td className="bench-where">
          <strong>{cell.target}</strong>
          <span className="mono">{cell.model.ref}</span>
        </td>
        <td className="num">{threadsText(cell.threads)}</td>
        <td className="num">{cell.batch}</td>
        <td className="num">{cell.repeat}</td>
        {measured ? (
          <>
            <td className="num" data-testid="bench-p50">{formatMs(s.p50)}</td>
            <td className="num">{formatMs(s.p90)}</td>
            <td className="num">{formatMs(s.p99)}</td>
            <td className="num nowrap">
              {formatMs(s.mean)} ± {formatMs(s.std)}
            </td>
            <td className={`num${s.cv > 0.1 ? ' bench-warn' : ''}`}>{formatPercent(s.cv)}</td>
            <td className="num">{s.throughput.toFixed(s.throughput < 100 ? 1 : 0)}</td>
            <td className="num nowrap">{s.peakRssMb.toFixed(0)} MB</td>
            <td className="num">{cell.accuracy ? `${formatPercent(cell.accuracy.top1)} (${cell.accuracy.correct}/${cell.accuracy.samples})` : '—'}</td>
          </>
        ) : (
          <td colSpan={8}>
            <CellStatus cell={cell} />
          </td>
        )}
        <td>
          <Verdict cell={cell} measured={measured} />
        </td>
      </tr>
      {measured && cell.state === 'cancelled' && (
        <tr className="bench-note">
          <td />
          <td colSpan={CELL_COLUMNS - 1} className="muted">{cancelText(cell.error, (p) => phaseText(p, t), t)}</td>
        </tr>
      )}
      {invalid && (
        <tr className="bench-note">
          <td />
          <td colSpan={CELL_COLUMNS - 1} className="bench-invalid-reasons">
            {t('bench.invalidBecause', { reasons: cell.invalidReasons.map((r) => reasonText(r, t)).join('; ') || t('bench.reason.unknown') })}
          </td>
        </tr>
      )}
      {expanded && cell.result && (
        <tr className="bench-expanded">
          <td />
          <td colSpan={CELL_COLUMNS - 1}>
            <div className="bench-details">
              <EnvSummary result={cell.result} />
              {cell.result.profile && <ProfileTable profile={cell.result.profile} />}
            </div>
          </td>
        </tr>
      )}
    </Fragment>
  )
}

function CellStatus({ cell }: { cell: BenchCell }) {
  const { t } = useI18n()
  if (cell.state === 'running') {
    const p = cell.progress
    const eta = etaText(p?.etaS)
    const pct = p && p.total > 0 ? Math.min(100, (p.done / p.total) * 100) : null
    return (
      <div className="bench-live" data-testid="bench-progress">
        <span className="pill pill-running">{p ? phaseText(p.phase, t) : t('bench.state.running')}</span>
        {p && p.total > 0 && <span className="mono">{t('bench.progress', { done: p.done, total: p.total })}</span>}
        {eta && <span className="muted">{t('jobs.left', { t: eta })}</span>}
        {pct !== null && (
          <span className="bar bench-bar" role="progressbar" aria-valuenow={Math.round(pct)} aria-valuemin={0} aria-valuemax={100}>
            <span style={{ width: `${pct}%` }} />
          </span>
        )}
      </div>
    )
  }
  if (cell.state === 'failed') return <span className="row-error" data-testid="bench-error">{cell.error ?? t('bench.state.failed')}</span>
  if (cell.state === 'cancelled') return <span className="muted">{cancelText(cell.error, (p) => phaseText(p, t), t)}</span>
  return <span className="muted">{t('bench.state.pending')}</span>
}

function Verdict({ cell, measured }: { cell: BenchCell; measured: boolean }) {
  const { t } = useI18n()
  if (cell.state === 'failed') return <span className="pill pill-failed">{t('bench.state.failed')}</span>
  if (cell.state === 'cancelled') return <span className="pill pill-cancelled">{t('bench.state.cancelled')}</span>
  if (!measured) return null
  return cell.valid ? <span className="pill pill-ok">{t('bench.valid')}</span> : <span className="pill pill-failed" title={cell.invalidReasons.join('; ')}>{t('bench.invalid')}</span>
}

const PHASES = ['prepare', 'warmup', 'measure', 'accuracy', 'profile'] as const
function phaseText(phase: string, t: ReturnType<typeof useI18n>['t']): string {
  return (PHASES as readonly string[]).includes(phase) ? t(`bench.phase.${phase as (typeof PHASES)[number]}`) : phase
}
