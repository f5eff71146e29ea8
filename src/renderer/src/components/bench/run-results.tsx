// A run's results table: one row per cell, live while the run goes on, with Cancel and Export.
import { useState } from 'react'
import type { BenchCell } from '../../../../shared/bench-run'
import { useClient } from '../../client/client-context'
import { useI18n } from '../../i18n/i18n'
import { relativeTime } from '../relative-time'
import { CellRow, CELL_COLUMNS } from './cell-row'
import { ExportButtons } from './export-buttons'
import { useBenchRun } from './use-bench-run'

interface Props {
  runId: string
  isSelected: (id: string) => boolean
  onSelect: (cell: BenchCell, on: boolean) => void
  onClose: () => void
}

const HEAD = ['cell', 'threads', 'batch', 'repeat', 'p50', 'p90', 'p99', 'mean', 'cv', 'throughput', 'rss', 'top1', 'verdict'] as const
const NUMERIC = new Set<string>(['threads', 'batch', 'repeat', 'p50', 'p90', 'p99', 'mean', 'cv', 'throughput', 'rss', 'top1'])

export function RunResults({ runId, isSelected, onSelect, onClose }: Props) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const { run, error } = useBenchRun(runId)
  const [expanded, setExpanded] = useState<string | null>(null)
  const [cancelError, setCancelError] = useState<string | null>(null)
  if (error && !run) return <p className="form-message error" role="alert">{errorText(error)}</p>
  if (!run) return <section className="card"><p className="muted">{t('bench.loading')}</p></section>
  const active = run.cells.some((c) => c.state === 'pending' || c.state === 'running')
  const finished = run.cells.filter((c) => c.state !== 'pending' && c.state !== 'running').length
  const cancel = () => {
    setCancelError(null)
    client['jobs.cancel']({ id: run.jobId }).catch((e: unknown) => setCancelError(errorText(e)))
  }
  return (
    <section className="card bench-run" data-testid="bench-run" data-run={run.id} aria-label={t('bench.runTitle', { id: run.id.slice(0, 8) })}>
      <div className="card-head">
        <h2>
          {run.label ?? t('bench.runTitle', { id: run.id.slice(0, 8) })}{' '}
          <span className="muted small">
            {t(`bench.preset.${run.preset}`)} · {relativeTime(run.createdAt, t)} · {run.who}
          </span>
        </h2>
        <span className="grow" />
        <span className="muted small">{t('bench.cellsDone', { done: finished, total: run.cellCount })}</span>
        {active && (
          <button className="danger-outline" onClick={cancel}>
            {t('bench.cancel')}
          </button>
        )}
        <ExportButtons ids={[run.id]} name={`edgedock-bench-${run.id.slice(0, 8)}`} />
        <button className="link" onClick={onClose} aria-label={t('bench.close')}>
          ✕
        </button>
      </div>
      {cancelError && <p className="form-message error" role="alert">{cancelError}</p>}
      <div className="bench-scroll">
        <table className="grid bench-table">
          <thead>
            <tr>
              <th />
              {HEAD.map((h) => (
                <th key={h} className={NUMERIC.has(h) ? 'num' : ''}>
                  {t(`bench.col.${h}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {run.cells.length === 0 && (
              <tr>
                <td colSpan={CELL_COLUMNS} className="empty">{t('bench.noCells')}</td>
              </tr>
            )}
            {run.cells.map((c) => (
              <CellRow
                key={c.id}
                cell={c}
                selected={isSelected(c.id)}
                expanded={expanded === c.id}
                onSelect={(on) => onSelect(c, on)}
                onExpand={() => setExpanded(expanded === c.id ? null : c.id)}
              />
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small bench-foot">{t('bench.unitsNote')}</p>
    </section>
  )
}
