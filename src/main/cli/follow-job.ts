// Renders a job's progress on the terminal (step, percent, rate, ETA) and resolves when it ends.
// Ctrl-C cancels the job rather than killing the process mid-step, so the job is recorded as cancelled.
import type { Job, JobLogLine } from '../../shared/domain'
import { formatEta, formatRate } from '../../shared/format'
import type { EdgeDockApp } from '../app/create-app'

export async function followJob(app: EdgeDockApp, jobId: string, write: ((s: string) => void) | null): Promise<Job> {
  const tty = process.stderr.isTTY
  let printed = -1
  const printLine = (l: JobLogLine) => {
    if (!write || l.jobId !== jobId || l.seq <= printed) return
    printed = l.seq
    write(`${tty ? '\r\x1b[2K' : ''}${l.text}\n`)
  }
  const unsubscribe = app.events.subscribe((event, payload) => {
    if (event === 'jobs.log') printLine(payload as JobLogLine)
    else if (event === 'jobs.updated' && write && tty) {
      const j = payload as Job
      if (j.id !== jobId) return
      const pct = j.percent === null ? '' : `${j.percent.toFixed(0)}%`
      const left = j.etaSeconds === null ? '' : `${formatEta(j.etaSeconds)} left`
      write(`\r\x1b[2K${[j.step ?? '', pct, formatRate(j.rate, j.unit), left].filter(Boolean).join('  ')}`)
    }
  })
  // Lines logged before we subscribed (the job starts at once) come from the store.
  app.services.store.jobs.detail(jobId)?.log.forEach(printLine)
  const onSigint = () => app.services.jobs.cancel(jobId)
  process.once('SIGINT', onSigint)
  try {
    return await app.services.jobs.wait(jobId)
  } finally {
    process.off('SIGINT', onSigint)
    unsubscribe()
  }
}
