// `edgedock jobs`, `edgedock history`: what ran, who runs it, how it ended.
import type { Command } from 'commander'
import type { Job } from '../../shared/domain'
import { EdgeError } from '../../shared/errors'
import { describeOwner } from '../../shared/format'
import type { CliContext } from './cli-context'
import { table, wholeNumber, when } from './format'

const LIVE = new Set<Job['state']>(['queued', 'running'])
const isLive = (j: Job) => LIVE.has(j.state)
// Another process's job stops within a second of a cancel request; allow for a busy owner.
const CANCEL_WAIT_MS = 5000
const owned = (j: Job) => (j.owner ? describeOwner(j.owner) : 'an earlier EdgeDock')

export function registerJobCommands(program: Command, c: CliContext): void {
  const resolve = (ref: string) => c.call('devices.resolve', { ref })

  const jobs = program
    .command('jobs')
    .description('recent jobs, who runs them and how they ended (jobs cancel ID stops one)')
    .option('--limit <n>', 'how many jobs', '20')
    .action(async (o: { limit: string }) => {
      const list = await c.call('jobs.list', { limit: wholeNumber(o.limit, '--limit') })
      c.print(list, () =>
        list.length
          ? table(
              list.map((j) => ({
                id: j.id.slice(0, 8),
                started: when(j.createdAt),
                job: j.title,
                state: j.state,
                'run by': isLive(j) && j.owner ? describeOwner(j.owner) : '',
                error: j.error?.message ?? ''
              })),
              ['id', 'started', 'job', 'state', 'run by', 'error']
            )
          : 'No jobs yet.'
      )
    })

  jobs
    .command('cancel <id>')
    .description('stop a running job, whichever EdgeDock process runs it (the id, or its first characters)')
    .action(async (ref: string) => {
      const job = await findJob(c, ref)
      if (!isLive(job)) {
        c.print({ job, cancelled: false }, () => `${job.title} already ended (${job.state}); nothing to cancel.`)
        return
      }
      let now = await c.call('jobs.cancel', { id: job.id })
      // A job of another process stops when its owner reads the request: wait and say what happened.
      for (const t0 = Date.now(); isLive(now) && Date.now() - t0 < CANCEL_WAIT_MS; ) {
        await new Promise((r) => setTimeout(r, 200))
        now = await c.call('jobs.get', { id: job.id })
      }
      const { log: _log, steps: _steps, ...shown } = now as Job & { log?: unknown; steps?: unknown }
      if (isLive(now)) {
        process.exitCode = 1
        c.print({ job: shown, cancelled: false }, () =>
          `Asked ${owned(now)} to cancel ${now.title}; it has not stopped after ${CANCEL_WAIT_MS / 1000} s. It is still running there: look at that process, or run "edgedock jobs" again.`
        )
      } else {
        c.print({ job: shown, cancelled: now.state === 'cancelled' }, () =>
          now.state === 'cancelled'
            ? `Cancelled ${now.title}.`
            : now.state === 'interrupted'
              ? `${now.title} was not running any more: ${owned(job)} is gone. Marked interrupted.`
              : `${now.title} ended before the cancel reached it (${now.state}).`
        )
      }
    })

  program
    .command('history')
    .description('what was done to which unit, newest first')
    .option('--device <device>', 'only this unit')
    .option('--limit <n>', 'how many entries', '50')
    .action(async (o: { device?: string; limit: string }) => {
      const deviceId = o.device ? (await resolve(o.device)).id : undefined
      const entries = await c.call('history.query', { deviceId, limit: wholeNumber(o.limit, '--limit') })
      c.print(entries, () =>
        entries.length
          ? table(
              entries.map((e) => ({ when: when(e.ts), device: e.deviceName ?? '', what: e.kind, outcome: e.outcome, summary: e.summary })),
              ['when', 'device', 'what', 'outcome', 'summary']
            )
          : 'No history yet.'
      )
    })
}

/** A job by its full id or the first characters of one of the recent jobs' ids; two matches are refused. */
async function findJob(c: CliContext, ref: string): Promise<Job> {
  // Four characters at least: a shorter prefix matches too much to be what the technician meant.
  if (ref.trim().length < 4) throw new EdgeError('INVALID_INPUT', `give at least the first 4 characters of the job id, not "${ref}"`)
  const matches = (await c.call('jobs.list', { limit: 500 })).filter((j) => j.id === ref || j.id.startsWith(ref))
  const exact = matches.find((j) => j.id === ref)
  if (exact) return exact
  const [only] = matches
  if (matches.length === 1 && only) return only
  if (matches.length === 0) throw new EdgeError('JOB_NOT_FOUND', ref)
  throw new EdgeError('JOB_REF_AMBIGUOUS', `"${ref}" (${matches.map((j) => `${j.id.slice(0, 12)} ${j.title}`).join('; ')})`)
}
