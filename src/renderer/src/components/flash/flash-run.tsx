// A flash job as it runs and when it ends: one row per target with its phase, bar, rate and time
// left (from the flash.progress events), Cancel, then the SHA-256 read back from each target and
// "insert the card and power on".
import { useEffect, useState } from 'react'
import type { FlashJobResult, FlashProgressEvent } from '../../../../shared/contract-flash'
import type { Job } from '../../../../shared/domain'
import { formatEta, formatRate } from '../../../../shared/format'
import { useClient } from '../../client/client-context'
import { useI18n } from '../../i18n/i18n'
import { size } from './flash-format'

const ENDED = new Set(['succeeded', 'failed', 'cancelled', 'interrupted'])

export function FlashRun({ jobId, targets, onAgain }: { jobId: string; targets: string[]; onAgain: () => void }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [job, setJob] = useState<Job | null>(null)
  const [progress, setProgress] = useState<Record<string, FlashProgressEvent>>({})

  useEffect(() => {
    const offJob = client.on('jobs.updated', (j) => {
      if (j.id === jobId) setJob(j)
    })
    const offProgress = client.on('flash.progress', (p) => {
      if (p.jobId === jobId) setProgress((prev) => ({ ...prev, [p.target]: p }))
    })
    // The job may have moved on (or ended) before this page subscribed.
    void client['jobs.get']({ id: jobId }).then(({ log: _log, steps: _steps, ...j }) => setJob((prev) => prev ?? j))
    return () => {
      offJob()
      offProgress()
    }
  }, [client, jobId])

  const ended = job !== null && ENDED.has(job.state)
  const result = ended ? (job.result as FlashJobResult | null) : null

  return (
    <section className="card" aria-label={t('flash.result')} data-testid="flash-run">
      <div className="card-head">
        <h2>
          {ended ? t('flash.result') : t('step.flashWrite')} {job && <span className={`pill pill-${job.state}`}>{t(`jobs.state.${job.state}`)}</span>}
        </h2>
        {!ended ? (
          <button className="link danger" onClick={() => void client['jobs.cancel']({ id: jobId })}>
            {t('jobs.cancel')}
          </button>
        ) : (
          <button onClick={onAgain}>{t('flash.again')}</button>
        )}
      </div>
      {!result && (
        <table className="grid">
          <tbody>
            {targets.map((target) => {
              const p = progress[target]
              const pct = p?.total ? Math.min(100, (p.bytes / p.total) * 100) : 0
              return (
                <tr key={target} data-testid="flash-progress-row">
                  <td className="mono">{target}</td>
                  <td>{p ? t(`flash.phase.${p.phase}`) : ''}</td>
                  <td style={{ width: '35%' }}>
                    <div className="bar" role="progressbar" aria-label={target} aria-valuenow={Math.round(pct)} aria-valuemin={0} aria-valuemax={100}>
                      <div style={{ width: `${pct}%` }} />
                    </div>
                  </td>
                  <td className="num">{p?.total ? `${pct.toFixed(0)}%` : ''}</td>
                  <td className="num">{p ? formatRate(p.rate, 'bytes') : ''}</td>
                  <td className="num">{p?.etaSeconds != null ? t('jobs.left', { t: formatEta(p.etaSeconds) }) : ''}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {ended && job.error && (
        <p className="form-message error" role="alert">
          {errorText(job.error)}
        </p>
      )}
      {result && (
        <>
          <table className="grid" data-testid="flash-result">
            <thead>
              <tr>
                <th>{t('flash.target')}</th>
                <th>{t('flash.state')}</th>
                <th className="num">{t('flash.written')}</th>
                <th>{t('flash.sha256Col')}</th>
              </tr>
            </thead>
            <tbody>
              {result.targets.map((r) => (
                <tr key={r.target} data-testid="flash-result-row">
                  <td className="mono">{r.target}</td>
                  <td>
                    {r.error ? (
                      <span className={`pill pill-${r.error.code === 'FLASH_CANCELLED' ? 'cancelled' : 'failed'}`}>{t(r.error.code === 'FLASH_CANCELLED' ? 'jobs.state.cancelled' : 'jobs.state.failed')}</span>
                    ) : (
                      <span className="pill pill-ok">{t('flash.verified')}</span>
                    )}
                  </td>
                  <td className="num">{size(r.bytesWritten)}</td>
                  <td style={{ wordBreak: 'break-all' }}>
                    {r.sha256 && <div className="mono small">{r.sha256}</div>}
                    {r.error && <div className="field-error">{errorText(r.error)}</div>}
                    {r.firstBoot?.pinnedAs && r.firstBoot.hostKeyFingerprint && (
                      <div className="muted small">{t('flash.hostKey', { fingerprint: r.firstBoot.hostKeyFingerprint, host: r.firstBoot.pinnedAs })}</div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {job?.state === 'succeeded' && <p className="form-message ok">{t('flash.powerOn')}</p>}
        </>
      )}
    </section>
  )
}
