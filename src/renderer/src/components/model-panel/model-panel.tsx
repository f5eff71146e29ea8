// The device page's Model panel: what the unit serves now, the versions it keeps, push a model from
// the library, roll back, with the transfer's progress live; model history from History.
import { useEffect, useState } from 'react'
import type { Device, HistoryEntry } from '../../../../shared/domain'
import { useClient } from '../../client/client-context'
import { useI18n } from '../../i18n/i18n'
import { hostKeyChangeOf } from '../host-key/host-key-change'
import { useJob } from '../provision/use-job'
import { PushForm } from './push-form'
import { TransferProgress } from './transfer-progress'
import type { ModelStatus } from './use-model-status'
import { VersionList } from './version-list'

export function ModelPanel({ device, status: { state, refresh } }: { device: Device; status: ModelStatus }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [jobId, setJobId] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [history, setHistory] = useState<HistoryEntry[]>([])
  const { job } = useJob(jobId)
  // Without an address nothing can be pushed or rolled back: every action stays disabled.
  const busy = (job !== null && job.finishedAt === null) || state.kind === 'no-address'

  useEffect(() => {
    const load = () =>
      void client['history.query']({ deviceId: device.id, limit: 100 }).then((h) => setHistory(h.filter((e) => /^(model|runtime)\./.test(e.kind))))
    load()
    return client.on('jobs.updated', (j) => j.finishedAt !== null && load())
  }, [client, device.id])
  // What the unit serves changes when a push or rollback ends, whichever way it ended.
  useEffect(() => {
    if (job?.finishedAt) refresh()
  }, [job?.finishedAt, refresh])

  const start = async (call: () => Promise<{ jobId: string }>) => {
    setError(null)
    try {
      setJobId((await call()).jobId)
    } catch (err) {
      setError(errorText(err))
    }
  }
  const push = (ref: string, version: string | undefined) =>
    void start(() => client['models.push']({ targets: [device.id], ref, ...(version ? { version } : {}) }))
  const rollback = (version?: string) => void start(() => client['models.rollback']({ targets: [device.id], ...(version ? { version } : {}) }))

  const status = state.kind === 'ok' ? state.status : null
  const canRollBack = (status?.versions.filter((v) => !v.current).length ?? 0) > 0
  return (
    <section className="card model-panel" aria-labelledby="mp-h" data-testid="model-panel">
      <div className="card-head">
        <h2 id="mp-h">{t('mp.title')}</h2>
        <button className="link" onClick={refresh} disabled={state.kind === 'loading' || state.kind === 'no-address'}>
          {t('mp.refresh')}
        </button>
      </div>
      {state.kind === 'loading' && <p className="muted" role="status">{t('mp.reading')}</p>}
      {state.kind === 'no-address' && (
        <p className="muted" data-testid="model-no-address">
          {t('mp.noAddress')}
        </p>
      )}
      {state.kind === 'error' && (
        <p className="form-message error" role="alert" data-testid="model-status-error">
          {/* The page's own notice explains a changed key with both fingerprints and the way past it. */}
          {t('mp.cannotRead')} {hostKeyChangeOf(state.error) ? t('mp.hostKeyChanged') : errorText(state.error)}
        </p>
      )}
      {status && (
        <>
          <dl className="facts">
            <dt>{t('mp.current')}</dt>
            <dd data-testid="model-current">
              {status.current ? (
                <>
                  <strong>
                    {status.current.name}@{status.current.version}
                  </strong>{' '}
                  <span className="mono muted small">{status.current.sha256.slice(0, 12)}</span>
                </>
              ) : (
                t('mp.noModel')
              )}
            </dd>
            <dt>{t('mp.service')}</dt>
            <dd>
              {status.health ? (
                <span className={`pill health-${status.health.status}`}>{t(`mp.health.${status.health.status}`)}</span>
              ) : (
                <span className="muted">{status.healthError ?? t('mp.noService')}</span>
              )}
              {status.health?.lastLoadError && (
                <div className="field-error small">{t('mp.loadError', { version: status.health.lastLoadError.version, message: status.health.lastLoadError.message })}</div>
              )}
            </dd>
            <dt>{t('mp.runtime')}</dt>
            <dd className="mono small">
              {status.runtimeVersion ?? t('mp.noRuntime')}
              {/* The runtime travels with the app (no internet on site): one click installs it. */}
              {!status.runtimeVersion && (
                <button className="link" disabled={busy} onClick={() => void start(() => client['runtime.install']({ targets: [device.id] }))}>
                  {t('mp.installRuntime')}
                </button>
              )}
            </dd>
          </dl>
          <VersionList versions={status.versions} disabled={busy} onRollback={rollback} />
        </>
      )}
      <div className="model-actions">
        <PushForm disabled={busy} onPush={push} />
        <button onClick={() => rollback()} disabled={busy || !canRollBack} title={canRollBack ? undefined : t('mp.nothingToRollBack')}>
          {t('mp.rollback')}
        </button>
      </div>
      {error && (
        <p className="form-message error" role="alert">
          {error}
        </p>
      )}
      {job && <TransferProgress job={job} />}
      <h3 className="mp-history">{t('mp.history')}</h3>
      {history.length === 0 ? (
        <p className="muted small">{t('mp.noHistory')}</p>
      ) : (
        <ul className="plain">
          {history.slice(0, 10).map((e) => (
            <li key={e.id}>
              <span className="mono small">{new Date(e.ts).toLocaleString()}</span> <span className={`pill pill-${e.outcome}`}>{t(`outcome.${e.outcome}`)}</span> {e.summary}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
