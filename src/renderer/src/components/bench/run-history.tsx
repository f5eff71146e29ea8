// Every stored run, newest first; a click opens or closes its results below, so runs measured on
// different days sit side by side for comparing.
import type { BenchRun } from '../../../../shared/bench-run'
import { useI18n } from '../../i18n/i18n'
import { relativeTime } from '../relative-time'

interface Props {
  runs: BenchRun[]
  open: string[]
  onToggle: (id: string) => void
}

export function RunHistory({ runs, open, onToggle }: Props) {
  const { t } = useI18n()
  return (
    <section className="card" aria-label={t('bench.history')}>
      <div className="card-head">
        <h2>
          {t('bench.history')} <span className="count">{runs.length}</span>
        </h2>
        <span className="muted small">{t('bench.historyHint')}</span>
      </div>
      {runs.length === 0 ? (
        <p className="empty">{t('bench.noRuns')}</p>
      ) : (
        <div className="bench-scroll bench-history">
          <table className="grid">
            <thead>
              <tr>
                <th />
                <th>{t('bench.col.when')}</th>
                <th>{t('bench.col.run')}</th>
                <th>{t('bench.col.targets')}</th>
                <th>{t('bench.col.models')}</th>
                <th>{t('bench.col.preset')}</th>
                <th className="num">{t('bench.col.cells')}</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => {
                const isOpen = open.includes(r.id)
                return (
                  <tr key={r.id} data-testid="bench-history-row" data-run={r.id} className={isOpen ? 'selected' : ''} onClick={() => onToggle(r.id)}>
                    <td>
                      <input type="checkbox" checked={isOpen} readOnly aria-label={t('bench.open')} />
                    </td>
                    <td className="nowrap" title={new Date(r.createdAt).toLocaleString()}>{relativeTime(r.createdAt, t)}</td>
                    <td className="name">
                      {r.label ?? <span className="mono">{r.id.slice(0, 8)}</span>}
                      <small className="muted"> · {r.who}</small>
                    </td>
                    <td>{r.targets.join(', ')}</td>
                    <td className="mono">{r.models.join(', ')}</td>
                    <td>{t(`bench.preset.${r.preset}`)}</td>
                    <td className="num nowrap">
                      {r.done}/{r.cellCount}
                      {r.failed > 0 && <span className="row-error"> · {t('bench.failedCount', { n: r.failed })}</span>}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
