// Everything History recorded against this unit (added, renamed, checked, models pushed…).
import { useEffect, useState } from 'react'
import type { Device, HistoryEntry } from '../../../../shared/domain'
import { useClient } from '../../client/client-context'
import { useI18n } from '../../i18n/i18n'

export function DeviceHistory({ device }: { device: Device }) {
  const client = useClient()
  const { t } = useI18n()
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null)
  useEffect(() => {
    const load = () => void client['history.query']({ deviceId: device.id, limit: 50 }).then(setEntries)
    load()
    // A re-pin is not a job: it announces itself as an inventory change.
    const offs = [client.on('jobs.updated', (j) => j.finishedAt !== null && load()), client.on('devices.changed', load)]
    return () => offs.forEach((off) => off())
  }, [client, device.id])
  return (
    <section className="card" aria-labelledby="hist-h">
      <h2 id="hist-h">{t('history.title')}</h2>
      {entries && entries.length === 0 ? (
        <p className="empty">{t('history.empty')}</p>
      ) : (
        <table className="grid">
          <tbody>
            {(entries ?? []).map((e) => (
              <tr key={e.id} data-testid="device-history-row">
                <td className="mono nowrap">{new Date(e.ts).toLocaleString()}</td>
                <td className="mono">{e.kind}</td>
                <td>
                  <span className={`pill pill-${e.outcome}`}>{t(`outcome.${e.outcome}`)}</span>
                </td>
                <td className="summary">{e.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
