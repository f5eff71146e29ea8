// Run only inside the private network namespace that mdns-multicast.test.ts creates (loopback
// only, multicast on): a multicast-dns responder plays a lab Pi, browseMdns finds it for real.

import { networkInterfaces } from 'node:os'
import makeMdns from 'multicast-dns'
import { browseMdns, resolveLocalName } from '../../../../../../src/main/core/discovery/mdns-browser'
import { mdnsObservations } from '../../../../../../src/main/core/discovery/mdns-records'

// Safety: multicast only where the sole interface is this namespace's loopback.
const names = Object.keys(networkInterfaces())
if (names.join(',') !== 'lo') {
  console.error(`refusing to multicast: not in the test namespace (interfaces: ${names.join(',')})`)
  process.exit(2)
}

const host = 'lab-pi-01.local'
const instance = `lab-pi-01 [dc:a6:32:00:00:01]._workstation._tcp.local`
const responder = makeMdns()
responder.on('query', (query) => {
  for (const q of query.questions) {
    if (q.type === 'PTR' && q.name === '_workstation._tcp.local') {
      responder.respond({
        answers: [{ name: '_workstation._tcp.local', type: 'PTR', ttl: 120, data: instance }],
        additionals: [
          { name: instance, type: 'SRV', ttl: 120, data: { port: 9, target: host, priority: 0, weight: 0 } },
          { name: host, type: 'A', ttl: 120, data: '10.77.0.11' }
        ]
      })
    }
    if (q.type === 'A' && q.name === host) responder.respond({ answers: [{ name: host, type: 'A', ttl: 120, data: '10.77.0.11' }] })
  }
})

const snapshot = await browseMdns({ durationMs: 1200 })
const resolved = await resolveLocalName('lab-pi-01', { durationMs: 800 })
responder.destroy()
console.log(JSON.stringify({ observations: mdnsObservations(snapshot, 0), resolved }))
