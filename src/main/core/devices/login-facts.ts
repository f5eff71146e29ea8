// After a sweep, when credentials are known, log in to each unit that answered SSH and read what it
// is: model, serial, OS, architecture, memory, disk, temperature. A unit that refuses (wrong password,
// changed host key) is reported in the job log and still listed from what the sweep saw.
import { collectDeviceFacts, type CommandRunner, type Observation } from '../discovery'
import type { JobContext } from '../jobs/job-runner'
import { mapLimit } from '../map-limit'
import { jobSshOptions, type SshService, type SshSession } from '../ssh'

export interface LoginCredentials {
  user: string
  password?: string | undefined
}

/** Fact commands over SSH; a read refused for permissions (DMI serial on x86) is tried once with sudo -n. */
export function sessionRunner(session: SshSession): CommandRunner {
  return {
    async run(argv, options) {
      const signal = options?.signal
      let r = await session.run(argv, { signal })
      if (r.code !== 0 && /Permission denied/i.test(r.stderr)) r = await session.run(argv, { signal, sudo: true })
      return { exitCode: r.code, stdout: r.stdout, stderr: r.stderr }
    }
  }
}

export async function loginObservations(ssh: SshService, ips: string[], login: LoginCredentials, ctx: JobContext, now: () => number): Promise<Observation[]> {
  const out: Observation[] = []
  const units = unitSignals(ctx.signal)
  try {
    await mapLimit(ips, LOGIN_CONCURRENCY, async (ip) => {
      const unit = units.open()
      try {
        await readUnit(ip, unit.signal)
      } finally {
        unit.done()
      }
    })
  } finally {
    units.close()
  }
  return out

  async function readUnit(ip: string, signal: AbortSignal): Promise<void> {
    let session: SshSession | null = null
    try {
      session = await ssh.open({ host: ip, port: 22, username: login.user }, login.password ? { password: login.password } : null, {
        ...jobSshOptions(ctx),
        signal,
        connectTimeoutMs: 10_000
      })
      const facts = await collectDeviceFacts(sessionRunner(session), signal)
      out.push({
        source: 'login',
        at: now(),
        ip,
        hostname: facts.hostname,
        model: facts.model,
        serial: facts.serial,
        isRaspberryPi: facts.isRaspberryPi,
        hostKeyFingerprint: session.hostKey.fingerprint,
        facts
      })
      ctx.log('info', `${ip}: ${facts.model ?? 'unknown model'}, ${facts.os ?? 'unknown OS'}, ${facts.arch ?? '?'} (${facts.userlandBits ?? '?'}-bit userland)`)
    } catch (err) {
      if (ctx.signal.aborted) throw err
      ctx.log('warn', `${ip}: could not log in to read its details: ${(err as Error).message}`)
    } finally {
      await session?.close()
    }
  }
}

const LOGIN_CONCURRENCY = 8

/**
 * Every session and every command in flight listens for cancellation. Hung directly on the job's
 * signal that is dozens of listeners (Node warns past ten); instead the job's signal gets one, and
 * each unit's session and commands listen on a signal of that unit's own, dropped when it is done.
 */
function unitSignals(parent: AbortSignal): { open(): { signal: AbortSignal; done(): void }; close(): void } {
  const live = new Set<AbortController>()
  const onAbort = (): void => {
    for (const c of live) c.abort(parent.reason)
  }
  parent.addEventListener('abort', onAbort, { once: true })
  return {
    open() {
      const c = new AbortController()
      if (parent.aborted) c.abort(parent.reason)
      live.add(c)
      return { signal: c.signal, done: () => void live.delete(c) }
    },
    close: () => parent.removeEventListener('abort', onAbort)
  }
}
