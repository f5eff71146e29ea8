// Reboots the unit when an earlier step changed something that only a reboot applies (or always),
// waits for it to come back with bounded backoff, proves it really rebooted (a new boot id) and that
// the hostname survived. A new model or time zone alone does not cost the unit a reboot.
import * as z from 'zod'
import { EdgeError } from '../../../../shared/errors'
import { text } from '../../../../shared/texts'
import { HOSTNAME_LABEL_RE } from '../variable-rules'
import { defineStep, type StepEnv } from '../step-kind'

const params = z.strictObject({
  when: z.enum(['changed', 'always']).default('changed'),
  hostname: z.string().regex(HOSTNAME_LABEL_RE, 'must be a valid host name (RFC 1123 label)').optional(),
  timeoutSeconds: z.number().int().min(10).max(1800).default(300)
})
type P = z.infer<typeof params>

const BOOT_ID = ['cat', '/proc/sys/kernel/random/boot_id']
const FIRST_WAIT_MS = 3_000
const MAX_WAIT_MS = 15_000
const CONNECT_TIMEOUT_MS = 20_000

async function bootId(env: StepEnv): Promise<string> {
  return (await env.io.must(BOOT_ID, 'Could not read the boot id')).stdout.trim()
}

export const rebootStep = defineStep<P, { bootId: string }>({
  kind: 'reboot',
  params,
  title: () => text('pstep.reboot'),
  flushHandlersFirst: true,
  async check(env) {
    return { bootId: await bootId(env) }
  },
  plan(_f, p, env) {
    if (p.when === 'changed' && env.rebootNeededBy.length === 0) return { changes: [] }
    return { changes: [{ field: 'reboot', from: 'running', to: 'rebooted' }] }
  },
  async apply(env, p, f) {
    const { shell, io } = env
    if (env.rebootNeededBy.length > 0) io.log('info', `Rebooting for: ${env.rebootNeededBy.join(', ')}`)
    if (!shell.reconnect) throw new EdgeError('PROVISION_STEP_FAILED', 'this connection cannot reconnect after a reboot')
    // The session drops while the command runs: its exit code and errors say nothing useful.
    await io.read(['systemctl', 'reboot'], { sudo: true, timeoutMs: 10_000 }).catch(() => undefined)
    const deadline = env.now() + p.timeoutSeconds * 1000
    let wait = FIRST_WAIT_MS
    for (;;) {
      await env.sleep(wait, io.signal)
      wait = Math.min(wait * 2, MAX_WAIT_MS)
      try {
        await shell.reconnect({ signal: io.signal, timeoutMs: CONNECT_TIMEOUT_MS })
        const now = await bootId(env)
        if (now !== f.bootId) break
        io.log('debug', 'still the old boot; waiting')
      } catch (err) {
        if (io.signal.aborted) throw err
        io.log('debug', `not back yet: ${(err as Error).message}`)
      }
      if (env.now() >= deadline) throw new EdgeError('REBOOT_TIMEOUT', `the unit (${p.timeoutSeconds} s)`)
    }
    io.log('info', 'The unit is back after the reboot')
  },
  async verify({ io }, p) {
    if (!p.hostname) return
    const r = await io.must(['hostname'], 'Could not read the hostname after the reboot')
    if (r.stdout.trim() !== p.hostname) io.fail(`The hostname did not survive the reboot: it is "${r.stdout.trim()}", not "${p.hostname}"`)
  }
})
