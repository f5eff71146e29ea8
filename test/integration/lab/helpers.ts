// Helpers for the lab's integration tests: SSH to a unit and mDNS queries, both from the lab namespace.
import { execFile } from 'node:child_process'
import { sshArgv } from '../../lab/full'
import type { InventoryEntry } from '../../lab/lab'
import { inLabArgv } from '../../lab'

export interface Out {
  code: number
  stdout: string
  stderr: string
}

export function sh(argv: string[], timeoutMs = 60_000): Promise<Out> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0
      resolve({ code, stdout: String(stdout), stderr: String(stderr) })
    })
  })
}

/** ssh pi@unit with the password (from the lab namespace when the unit lives there). */
export function ssh(u: InventoryEntry, command: string, opts: { timeoutS?: number; timeoutMs?: number } = {}): Promise<Out> {
  return sh(sshArgv(u, [command], { timeoutS: opts.timeoutS ?? 10 }), opts.timeoutMs ?? 60_000)
}

/** The unit's SSH host key fingerprint line as seen from the network (ssh-keyscan). */
export async function hostKey(u: InventoryEntry): Promise<string> {
  const scan = ['ssh-keyscan', '-T', '10', '-t', 'ed25519', '-p', String(u.port), u.ip]
  const r = await sh(u.netns ? inLabArgv(scan) : scan)
  return r.stdout.split('\n').find((l) => l.includes('ssh-ed25519'))?.split(' ').slice(1).join(' ') ?? ''
}

// A legacy-unicast mDNS query (RFC 6762 §6.7) sent on the lab bridge from inside the lab namespace:
// each responder answers to our port. Prints one line per answer: source IP and the names in it.
const MDNS_SCRIPT = `
const dgram = require('node:dgram')
const [service, iface, waitMs] = process.argv.slice(1)
const labels = Buffer.concat(service.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])))
const q = Buffer.concat([Buffer.from([0, 42, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]), labels, Buffer.from([0, 0, 12, 0, 1])])
const s = dgram.createSocket('udp4')
const seen = {}
s.on('message', (m, r) => {
  const txt = m.toString('latin1').replace(/[^\\x20-\\x7e]+/g, ' ')
  seen[r.address] = (seen[r.address] || '') + txt
})
s.bind(0, iface, () => {
  s.setMulticastInterface(iface)
  s.send(q, 5353, '224.0.0.251')
  setTimeout(() => s.send(q, 5353, '224.0.0.251'), 500)
  setTimeout(() => { for (const [a, t] of Object.entries(seen)) console.log(a + ' ' + t); s.close() }, Number(waitMs))
})
`

/** Ask the lab LAN for a service type (e.g. _ssh._tcp.local); returns answering IP -> answer text. */
export async function mdnsBrowse(service: string, waitMs = 3000): Promise<Map<string, string>> {
  const r = await sh(inLabArgv([process.execPath, '-e', MDNS_SCRIPT, service, '10.77.0.1', String(waitMs)]), waitMs + 20_000)
  const out = new Map<string, string>()
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const i = line.indexOf(' ')
    out.set(line.slice(0, i), line.slice(i + 1))
  }
  return out
}
