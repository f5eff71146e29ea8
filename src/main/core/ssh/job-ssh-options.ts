// A job's side of a session: its cancel signal closes the link, passwords are registered as
// secrets before use, and connection notes (first-contact fingerprint, dropped link) go to its log.
import type { JobContext } from '../jobs/job-runner'
import type { SshSessionOptions } from './ssh-session'

export function jobSshOptions(ctx: Pick<JobContext, 'signal' | 'secret' | 'log'>): Pick<SshSessionOptions, 'signal' | 'secret' | 'log'> {
  return { signal: ctx.signal, secret: (value) => ctx.secret(value), log: (level, text) => ctx.log(level, text) }
}
