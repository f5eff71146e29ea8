// The unit's provisioning runs (a fleet job names its units by target, so runs are matched to this
// device by name or address), with the last real run's per-step result.
import { useEffect, useState } from 'react'
import type { Device, Job } from '../../../../shared/domain'
import { useClient } from '../../client/client-context'
import { useI18n } from '../../i18n/i18n'
import { asFleetResult, targetMatches, type UnitResult } from '../provision/fleet-result'
import { UnitReport, UnitStatusPill } from '../provision/unit-report'

interface Run {
  job: Job
  unit: UnitResult
}

export function DeviceProvisioning({ device }: { device: Device }) {
  const client = useClient()
  const { t, say } = useI18n()
  const [runs, setRuns] = useState<Run[] | null>(null)
  useEffect(() => {
    const load = () =>
      void client['jobs.list']({ limit: 500 }).then((jobs) =>
        setRuns(
          jobs.flatMap((job) => {
            const unit = job.kind.startsWith('provision') ? asFleetResult(job.result)?.units.find((u) => targetMatches(u.target, device)) : undefined
            return unit ? [{ job, unit }] : []
          })
        )
      )
    load()
    return client.on('jobs.updated', (j) => j.kind.startsWith('provision') && j.finishedAt !== null && load())
  }, [client, device])
  const last = runs?.find((r) => r.job.kind === 'provision')
  return (
    <section className="card" aria-labelledby="prov-h" data-testid="device-provisioning">
      <h2 id="prov-h">{t('devices.lastProvision')}</h2>
      {runs && runs.length === 0 && <p className="empty">{t('devices.neverProvisioned')}</p>}
      {last ? (
        <>
          <p className="muted small">
            {new Date(last.job.finishedAt ?? last.job.createdAt).toLocaleString()} · {say(last.job.titleText, last.job.title)}
          </p>
          <UnitReport unit={last.unit} />
        </>
      ) : (
        runs && runs.length > 0 && <p className="muted">{t('devices.onlyDryRuns')}</p>
      )}
      {runs && runs.length > 0 && (
        <ul className="plain runs">
          {runs.map((r) => (
            <li key={r.job.id}>
              <span className="mono small">{new Date(r.job.createdAt).toLocaleString()}</span> {say(r.job.titleText, r.job.title)} <UnitStatusPill status={r.unit.status} />
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
