// Run only inside the private network namespace that silent-subnet.test.ts creates: sweeps
// 10.99.0.0/24 on a veth pair where nobody answers, with the real TCP prober.

import { networkInterfaces } from 'node:os'
import { planSweep } from '../../../../../../src/main/core/discovery/sweep-targets'
import { sshSweep } from '../../../../../../src/main/core/discovery/ssh-sweep'

// Safety: refuse to send a packet unless the only interfaces are the test's own.
const names = Object.keys(networkInterfaces()).sort()
if (names.join(',') !== 'lo,v0,v1') {
  console.error(`refusing to sweep: not in the test namespace (interfaces: ${names.join(',')})`)
  process.exit(2)
}

const plan = planSweep([], networkInterfaces())
const started = performance.now()
const result = await sshSweep({ hosts: plan.hosts })
console.log(JSON.stringify({ subnets: plan.subnets, wallMs: Math.round(performance.now() - started), ...result }))
