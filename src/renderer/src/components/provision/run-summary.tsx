// Step 5: how it ended, per unit: changed, unchanged, failed; "Retry failed" runs only those again.
import { useI18n } from '../../i18n/i18n'
import { needsRetry, type FleetResult } from './fleet-result'
import { UnitReport } from './unit-report'

export function RunSummary({ result, onRetry, busy }: { result: FleetResult; onRetry: () => void; busy: boolean }) {
  const { t, errorText } = useI18n()
  const s = result.summary
  const retry = result.units.filter(needsRetry)
  const tiles = [
    { key: 'changed', n: result.dryRun ? s.wouldChange : s.changed },
    { key: 'unchanged', n: s.unchanged },
    { key: 'failed', n: s.failed + s.notStarted + s.cancelled }
  ] as const
  return (
    <div className="wizard-body">
      <div className="tiles" data-testid="summary-tiles">
        {tiles.map((x) => (
          <div key={x.key} className={`tile tile-${x.key}`}>
            <strong>{x.n}</strong>
            <span>{t(`prov.sum.${x.key}`)}</span>
          </div>
        ))}
      </div>
      {result.error && <p className="form-message error">{errorText(result.error)}</p>}
      {retry.length > 0 && (
        <p>
          <button className="primary" onClick={onRetry} disabled={busy}>
            {t('prov.retryFailed', { n: retry.length })}
          </button>
        </p>
      )}
      {result.units.map((u) => (
        <UnitReport key={u.target} unit={u} />
      ))}
    </div>
  )
}
