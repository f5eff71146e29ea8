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
  await mapLimit(ips, 8, async (ip) => {
    let session: SshSession | null = null
    try {
      session = await ssh.open({ host: ip, port: 22, username: login.user }, login.password ? { password: login.password } : null, {
        ...jobSshOptions(ctx),
        connectTimeoutMs: 10_000
      })
      const facts = await collectDeviceFacts(sessionRunner(session), ctx.signal)
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
  })
  return out
}
