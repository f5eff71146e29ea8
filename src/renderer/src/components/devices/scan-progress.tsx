// The network scan's progress in the Devices page itself (not only in the jobs panel): how far, how
// fast, how long left, and Cancel.
import { useEffect, useState } from 'react'
import type { Job } from '../../../../shared/domain'
import { useClient } from '../../client/client-context'
import { useI18n } from '../../i18n/i18n'
import { JobProgress } from '../job-progress'

export function ScanProgress() {
  const client = useClient()
  const { t, say, errorText } = useI18n()
  const [scan, setScan] = useState<Job | null>(null)
  useEffect(() => {
    void client['jobs.list']({ limit: 20 }).then((jobs) => setScan((s) => s ?? jobs.find((j) => j.kind === 'discovery.scan' && j.finishedAt === null) ?? null))
    return client.on('jobs.updated', (j) => j.kind === 'discovery.scan' && setScan(j))
  }, [client])
  if (!scan) return null
  const running = scan.finishedAt === null
  if (!running && scan.state !== 'failed') return null
  return (
    <div className="scan-progress" data-testid="scan-progress">
      <div className="job-head">
        <span className="job-title">{t('devices.scanning')}</span>
        <span className={`pill pill-${scan.state}`}>{t(`jobs.state.${scan.state}`)}</span>
      </div>
      {running ? (
        <>
          <JobProgress job={scan} label={t('devices.scanning')} before={<span>{scan.step === null ? null : say(scan.stepText, scan.step)}</span>} />
        </>
      ) : (
        scan.error && <div className="job-error">{errorText(scan.error)}</div>
      )}
    </div>
  )
}
