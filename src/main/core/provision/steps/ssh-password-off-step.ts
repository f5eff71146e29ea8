// Password login off through an sshd_config.d drop-in. Debian's sshd_config includes the drop-ins
// first and sshd keeps the first value it reads, so "10-" wins over later files (50-cloud-init.conf).
// The new file is checked with `sshd -t` before sshd is reloaded: a broken config is taken back, so
// the unit never ends up unreachable.
import * as z from 'zod'
import { text } from '../../../../shared/texts'
import { defineStep } from '../step-kind'
import { installFile, readFile, type StepIo } from '../step-io'
import type { Change } from '../provision-types'

const params = z.strictObject({})
type P = z.infer<typeof params>

export const SSHD_DROP_IN = '/etc/ssh/sshd_config.d/10-edgedock.conf'
export const SSHD_DROP_IN_CONTENT =
  '# Written by EdgeDock: key login only.\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n'

async function effective(io: StepIo): Promise<string | null> {
  const r = await io.must(['sshd', '-T'], 'Could not read the effective SSH server settings', { sudo: true })
  return /^passwordauthentication (\S+)$/m.exec(r.stdout)?.[1] ?? null
}

export const sshPasswordOffStep = defineStep<P, { dropIn: string | null; password: string | null }>({
  kind: 'ssh-password-off',
  params,
  title: () => text('pstep.passwordOff'),
  notifies: ['reload-ssh'],
  async check({ io }) {
    return { dropIn: await readFile(io, SSHD_DROP_IN), password: await effective(io) }
  },
  plan(f) {
    const changes: Change[] = []
    if (f.dropIn !== SSHD_DROP_IN_CONTENT) {
      changes.push({ field: SSHD_DROP_IN, from: f.dropIn === null ? null : 'other content', to: 'PasswordAuthentication no' })
    }
    if (f.password !== 'no') changes.push({ field: 'SSH password login', from: f.password, to: 'no' })
    return { changes }
  },
  async apply({ io }, _p, f) {
    if (f.dropIn !== SSHD_DROP_IN_CONTENT) await installFile(io, SSHD_DROP_IN, SSHD_DROP_IN_CONTENT, '644', { sudo: true })
    const test = await io.read(['sshd', '-t'], { sudo: true })
    if (test.code !== 0) {
      // Put back what was there, so the next sshd restart (or reboot) still starts.
      if (f.dropIn === null) await io.read(['rm', '-f', '--', SSHD_DROP_IN], { sudo: true })
      else await installFile(io, SSHD_DROP_IN, f.dropIn, '644', { sudo: true })
      io.fail('The SSH server rejected its configuration (sshd -t); the previous configuration was restored', test, ['sshd', '-t'])
    }
  },
  async verify({ io }) {
    const password = await effective(io)
    if (password !== 'no') {
      io.fail(`Password login is still "${password}": an earlier file in /etc/ssh/sshd_config.d or sshd_config sets it`)
    }
  }
})
