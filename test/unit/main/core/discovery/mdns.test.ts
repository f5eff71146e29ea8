import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { collectMdnsRecords, macFromWorkstationLabel, mdnsObservations, type MdnsRecord } from '../../../../../src/main/core/discovery/mdns-records'
import { browseMdns, resolveLocalName, type MdnsTransport } from '../../../../../src/main/core/discovery/mdns-browser'
import { fixture } from './fixture'

interface Packet {
  answers: MdnsRecord[]
  additionals: MdnsRecord[]
}

// Recorded from a bench LAN; TXT values come as strings in JSON, Buffers on the wire.
const packets = (JSON.parse(fixture('mdns-bench-lan.json')) as Packet[]).map((p) => ({
  answers: p.answers.map(withBuffers),
  additionals: p.additionals.map(withBuffers)
}))
function withBuffers(r: MdnsRecord): MdnsRecord {
  return r.type === 'TXT' && Array.isArray(r.data) ? { ...r, data: (r.data as string[]).map((s) => Buffer.from(s)) } : r
}
const allRecords = packets.flatMap((p) => [...p.answers, ...p.additionals])
const T = Date.UTC(2026, 10, 25, 9)

describe('mDNS records', () => {
  const snapshot = collectMdnsRecords(allRecords)

  it('turns a browse into services with host, port and TXT', () => {
    expect(snapshot.services.map((s) => [s.type, s.label, s.host, s.port, s.goodbye])).toEqual([
      ['_workstation._tcp', 'door-unit-07 [dc:a6:32:1b:7f:04]', 'door-unit-07.local', 9, false],
      ['_ssh._tcp', 'door-unit-07', 'door-unit-07.local', 22, false],
      ['_edgedock._tcp', 'bench-pi-12', 'bench-pi-12.local', 8080, false],
      ['_workstation._tcp', 'nas [00:11:32:8a:4c:10]', 'nas.local', 9, false],
      ['_ssh._tcp', 'old-pi', 'old-pi.local', 22, true]
    ])
    expect(snapshot.services[2]!.txt).toEqual({ v: '1', serial: '10000000b1e2f3a4', model: 'Raspberry Pi 5 Model B Rev 1.0', mac: '2C:CF:67:05:E1:9A' })
    expect(snapshot.hosts.get('door-unit-07.local')).toEqual(['192.168.1.23', 'fe80::dea6:32ff:fe1b:7f04'])
    expect(snapshot.hosts.has('old-pi.local')).toBe(false)
  })

  it('reads the MAC avahi puts in workstation names', () => {
    expect(macFromWorkstationLabel('door-unit-07 [DC:A6:32:1B:7F:04]')).toBe('dc:a6:32:1b:7f:04')
    expect(macFromWorkstationLabel('door-unit-07')).toBeNull()
  })

  it('gives one observation per unit: door-unit-07 is a Pi at .23, bench-pi-12 a Pi 5 at .88', () => {
    const observations = mdnsObservations(snapshot, T)
    expect(observations).toEqual([
      { source: 'mdns', at: T, ip: '192.168.1.23', hostname: 'door-unit-07.local', services: ['_ssh._tcp', '_workstation._tcp'], mac: 'dc:a6:32:1b:7f:04', isRaspberryPi: true },
      {
        source: 'mdns', at: T, ip: '192.168.1.88', hostname: 'bench-pi-12.local', services: ['_edgedock._tcp'],
        serial: '10000000b1e2f3a4', model: 'Raspberry Pi 5 Model B Rev 1.0', mac: '2c:cf:67:05:e1:9a', isRaspberryPi: true
      },
      { source: 'mdns', at: T, ip: '192.168.1.5', hostname: 'nas.local', services: ['_workstation._tcp'], mac: '00:11:32:8a:4c:10' },
      { source: 'mdns', at: T, ip: '192.168.1.40', hostname: 'raspberrypi.local', services: [] }
    ])
  })
})

/** Answers each question from the recording, the way avahi would, after a short delay. */
class RecordedResponder extends EventEmitter implements MdnsTransport {
  questions: string[] = []
  destroyed = false
  constructor(private readonly withholdAdditionals = false) {
    super()
  }
  query(packet: { questions: Array<{ name: string; type: string }> }): void {
    for (const q of packet.questions) {
      this.questions.push(`${q.type} ${q.name}`)
      for (const p of packets) {
        const answers = [...p.answers, ...p.additionals].filter((r) => r.name.toLowerCase() === q.name.toLowerCase() && r.type === q.type)
        if (answers.length === 0) continue
        setTimeout(() => this.emit('response', { answers, additionals: this.withholdAdditionals ? [] : p.additionals }), 5)
      }
    }
  }
  destroy(): void {
    this.destroyed = true
  }
}

describe('browseMdns', () => {
  it('browses the three service types and resolves asked names', async () => {
    const responder = new RecordedResponder()
    const snapshot = await browseMdns({ hostnames: ['raspberrypi'], durationMs: 60, queryAtMs: [0], factory: () => responder })
    expect(responder.questions).toEqual(['PTR _ssh._tcp.local', 'PTR _workstation._tcp.local', 'PTR _edgedock._tcp.local', 'A raspberrypi.local'])
    expect(snapshot.services.filter((s) => !s.goodbye).map((s) => s.host)).toContain('bench-pi-12.local')
    expect(snapshot.hosts.get('raspberrypi.local')).toEqual(['192.168.1.40'])
    expect(responder.destroyed).toBe(true)
  })

  it('asks for SRV and A itself when a responder sends only the PTR', async () => {
    const responder = new RecordedResponder(true)
    const snapshot = await browseMdns({ serviceTypes: ['_edgedock._tcp'], durationMs: 80, queryAtMs: [0], factory: () => responder })
    expect(responder.questions).toEqual(['PTR _edgedock._tcp.local', 'SRV bench-pi-12._edgedock._tcp.local', 'A bench-pi-12.local'])
    expect(mdnsObservations(snapshot, T)[0]).toMatchObject({ ip: '192.168.1.88', hostname: 'bench-pi-12.local' })
  })

  it('reports a socket it cannot open as MDNS_UNAVAILABLE', async () => {
    const failing = new RecordedResponder()
    setTimeout(() => failing.emit('error', Object.assign(new Error('bind EADDRINUSE 0.0.0.0:5353'), { code: 'EADDRINUSE' })), 5)
    await expect(browseMdns({ durationMs: 500, factory: () => failing })).rejects.toMatchObject({ code: 'MDNS_UNAVAILABLE' })
    await expect(browseMdns({ factory: () => Promise.reject(new Error('no multicast')) })).rejects.toMatchObject({ code: 'MDNS_UNAVAILABLE' })
  })

  it('stops when cancelled', async () => {
    const controller = new AbortController()
    const browse = browseMdns({ durationMs: 5000, factory: () => new RecordedResponder(), signal: controller.signal })
    setTimeout(() => controller.abort(), 10)
    await expect(browse).rejects.toMatchObject({ code: 'DISCOVERY_ABORTED' })
  })

  it('resolves a .local name', async () => {
    expect(await resolveLocalName('raspberrypi.local', { durationMs: 40, factory: () => new RecordedResponder() })).toEqual(['192.168.1.40'])
    expect(await resolveLocalName('nobody', { durationMs: 40, factory: () => new RecordedResponder() })).toEqual([])
  })
})
