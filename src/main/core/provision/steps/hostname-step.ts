// The unit's hostname, and the 127.0.1.1 line of /etc/hosts that Debian expects for it: without it
// sudo warns "unable to resolve host" on every call, burying real errors in each step's output.
import * as z from 'zod'
import { text } from '../../../../shared/texts'
import { HOSTNAME_LABEL_RE } from '../variable-rules'
import { defineStep } from '../step-kind'
import { installFile, readFile } from '../step-io'
import type { Change } from '../provision-types'

const params = z.strictObject({ hostname: z.string().regex(HOSTNAME_LABEL_RE, 'must be a valid host name (RFC 1123 label)') })
type P = z.infer<typeof params>

const LOOPBACK_RE = /^\s*127\.0\.1\.1\s/

/** /etc/hosts with the 127.0.1.1 line naming `name`; every other line kept as it was. */
export function hostsWithName(hosts: string, name: string): string {
  const line = `127.0.1.1\t${name}`
  const lines = hosts.replace(/\n$/, '').split('\n')
  if (hosts === '') return `127.0.0.1\tlocalhost\n${line}\n`
  const at = lines.findIndex((l) => LOOPBACK_RE.test(l))
  if (at >= 0) {
    lines[at] = line
    // A second 127.0.1.1 line would shadow nothing but confuse the reader: drop it.
    return `${lines.filter((l, i) => i === at || !LOOPBACK_RE.test(l)).join('\n')}\n`
  }
  const localhost = lines.findIndex((l) => /^\s*127\.0\.0\.1\s/.test(l))
  lines.splice(localhost >= 0 ? localhost + 1 : lines.length, 0, line)
  return `${lines.join('\n')}\n`
}

function loopbackLine(hosts: string): string | null {
  return hosts.split('\n').find((l) => LOOPBACK_RE.test(l))?.trim().replace(/\s+/g, ' ') ?? null
}

export const hostnameStep = defineStep<P, { hostname: string; hosts: string }>({
  kind: 'hostname',
  params,
  title: (p) => text('pstep.hostname', { hostname: p.hostname }),
  // Daemons that read the name once at start keep the old one until a reboot (see StepKind.needsReboot).
  needsReboot: true,
  async check({ io }) {
    const hostname = ((await readFile(io, '/etc/hostname')) ?? '').trim()
    const hosts = (await readFile(io, '/etc/hosts')) ?? ''
    return { hostname, hosts }
  },
  plan(facts, p) {
    const changes: Change[] = []
    if (facts.hostname !== p.hostname) changes.push({ field: 'hostname', from: facts.hostname || null, to: p.hostname })
    if (hostsWithName(facts.hosts, p.hostname) !== facts.hosts) {
      changes.push({ field: '/etc/hosts 127.0.1.1', from: loopbackLine(facts.hosts), to: `127.0.1.1 ${p.hostname}` })
    }
    return { changes }
  },
  async apply({ io }, p, facts) {
    // /etc/hosts first: then sudo can resolve the new name as soon as it is set.
    const hosts = hostsWithName(facts.hosts, p.hostname)
    if (hosts !== facts.hosts) await installFile(io, '/etc/hosts', hosts, '644', { sudo: true })
    if (facts.hostname !== p.hostname) {
      await io.must(['hostnamectl', 'set-hostname', p.hostname], `Could not set the hostname to ${p.hostname}`, { sudo: true })
    }
  }
})
