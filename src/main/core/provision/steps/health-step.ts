// A read-only health check after the handlers have restarted the service: systemd says it is
// active and, when a URL is given, the inference service answers on it.
import { z } from 'zod'
import { defineStep } from '../step-kind'

const params = z.strictObject({
  service: z.string().regex(/^[A-Za-z0-9@_.-]{1,64}$/).default('edgedock-inference'),
  url: z.string().regex(/^http:\/\/(?:localhost|127\.0\.0\.1)(?::[0-9]{1,5})?\/[A-Za-z0-9._/-]*$/, 'must be a http://localhost URL').optional(),
  attempts: z.number().int().min(1).max(60).default(10)
})
type P = z.infer<typeof params>

const RETRY_MS = 1_000

export const healthStep = defineStep<P, null>({
  kind: 'health',
  params,
  title: (p) => `Health of ${p.service}`,
  final: true,
  dryRunNote: 'checked after a real run',
  async check(env, p) {
    // A service just restarted by a handler may need a moment before it reports active.
    for (let i = 1; ; i++) {
      const active = await env.io.read(['systemctl', 'is-active', p.service])
      const curl = active.code === 0 && p.url ? await env.io.read(['curl', '-fsS', '--max-time', '5', p.url]) : null
      if (active.code === 0 && (!curl || curl.code === 0)) return null
      if (i >= p.attempts) {
        if (active.code !== 0) {
          const journal = await env.io.read(['journalctl', '-u', p.service, '-n', '30', '--no-pager'], { sudo: true })
          env.io.log('error', `Last log lines of ${p.service}:\n${journal.stdout.trimEnd()}`)
          return env.io.fail(`The service ${p.service} is not running (${active.stdout.trim() || 'unknown'})`, active)
        }
        return env.io.fail(`The service ${p.service} runs but ${p.url} did not answer`, curl ?? undefined)
      }
      await env.sleep(RETRY_MS, env.io.signal)
    }
  },
  plan: () => ({ changes: [] }),
  async apply() {}
})
