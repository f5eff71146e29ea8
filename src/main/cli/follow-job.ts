// Renders a job's progress on the terminal (step, percent, rate, ETA) and resolves when it ends.
// Ctrl-C cancels the job rather than killing the process mid-step, so the job is recorded as cancelled.
// It follows the job through the contract (jobs.get, jobs.cancel and the jobs.* events), as the UI does.
import type { Job, JobLogLine, JobState } from '../../shared/domain'
import { formatEta, formatRate } from '../../shared/format'
import type { CliContext } from './cli-context'

const ENDED: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted'])

export async function followJob(c: CliContext, jobId: string, write: ((s: string) => void) | null): Promise<Job> {
  const tty = process.stderr.isTTY
  let printed = -1
  const printLine = (l: JobLogLine) => {
    if (!write || l.jobId !== jobId || l.seq <= printed) return
    printed = l.seq
    write(`${tty ? '\r\x1b[2K' : ''}${l.text}\n`)
  }
  let ended: (job: Job) => void = () => {}
  const done = new Promise<Job>((resolve) => (ended = resolve))
  const unsubscribe = await c.subscribe((event, payload) => {
    if (event === 'jobs.log') printLine(payload as JobLogLine)
    else if (event === 'jobs.updated') {
      const j = payload as Job
      if (j.id !== jobId) return
      if (ENDED.has(j.state)) return ended(j)
      if (!write || !tty) return
      const pct = j.percent === null ? '' : `${j.percent.toFixed(0)}%`
      const left = j.etaSeconds === null ? '' : `${formatEta(j.etaSeconds)} left`
      write(`\r\x1b[2K${[j.step ?? '', pct, formatRate(j.rate, j.unit), left].filter(Boolean).join('  ')}`)
    }
  })
  const onSigint = () => void c.call('jobs.cancel', { id: jobId }).catch(() => {})
  process.once('SIGINT', onSigint)
  try {
    // Lines logged before we subscribed (the job starts at once) come from the store; a job that
    // already ended emits nothing more, so its state is taken from here.
    const { log, steps: _steps, ...job } = await c.call('jobs.get', { id: jobId })
    log.forEach(printLine)
    if (ENDED.has(job.state)) ended(job)
    return await done
  } finally {
    process.off('SIGINT', onSigint)
    unsubscribe()
  }
}
