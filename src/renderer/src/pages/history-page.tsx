import { Fragment, useEffect, useState } from 'react'
import type { HistoryEntry } from '../../../shared/domain'
import { useClient } from '../client/client-context'
import { ProvisionDetails } from '../components/history/provision-details'
import { useI18n } from '../i18n/i18n'

export function HistoryPage() {
  const client = useClient()
  const { t } = useI18n()
  const [entries, setEntries] = useState<HistoryEntry[] | null>(null)
  const [open, setOpen] = useState<number | null>(null)
  useEffect(() => {
    const load = () => void client['history.query']({ limit: 200 }).then(setEntries)
    load()
    const offs = [client.on('devices.changed', load), client.on('jobs.updated', (j) => j.finishedAt && load())]
    return () => offs.forEach((off) => off())
  }, [client])

  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>{t('history.title')}</h1>
          <p className="muted">{t('history.subtitle')}</p>
        </div>
      </header>
      <section className="card">
        {entries && entries.length === 0 ? (
          <p className="empty">{t('history.empty')}</p>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                {(['when', 'device', 'what', 'outcome', 'summary'] as const).map((c) => (
                  <th key={c}>{t(`history.col.${c}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {(entries ?? []).map((e) => (
                <Fragment key={e.id}>
                  <tr data-testid="history-row">
                    <td className="mono nowrap">{new Date(e.ts).toLocaleString()}</td>
                    <td>{e.deviceName ?? '—'}</td>
                    <td className="mono">{e.kind}</td>
                    <td>
                      <span className={`pill pill-${e.outcome}`}>{t(`outcome.${e.outcome}`)}</span>
                    </td>
                    <td className="summary">
                      {e.summary}
                      {/* A provisioning run names its units in its result, not in the entry: open it to see them. */}
                      {e.jobId && e.kind.startsWith('provision') && (
                        <button className="link" aria-expanded={open === e.id} onClick={() => setOpen(open === e.id ? null : e.id)}>
                          {t(open === e.id ? 'history.hide' : 'history.details')}
                        </button>
                      )}
                    </td>
                  </tr>
                  {open === e.id && e.jobId && (
                    <tr>
                      <td colSpan={5}>
                        <ProvisionDetails jobId={e.jobId} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  )
}
