// A provisioning entry in History, opened: the per-unit result of its job (what changed where).
import { useEffect, useState } from 'react'
import { useClient } from '../../client/client-context'
import { useI18n } from '../../i18n/i18n'
import { asFleetResult, type FleetResult } from '../provision/fleet-result'
import { UnitReport } from '../provision/unit-report'

export function ProvisionDetails({ jobId }: { jobId: string }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [result, setResult] = useState<FleetResult | null | undefined>(undefined)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    client['jobs.get']({ id: jobId }).then(
      (j) => setResult(asFleetResult(j.result)),
      (err: unknown) => setError(errorText(err))
    )
  }, [client, jobId, errorText])
  if (error) return <p className="field-error">{error}</p>
  if (result === undefined) return <p className="muted small">…</p>
  if (result === null) return <p className="muted small">{t('history.noResult')}</p>
  return (
    <div className="history-details">
      {result.units.map((u) => (
        <UnitReport key={u.target} unit={u} />
      ))}
    </div>
  )
}
