// The speed a technician notices: a /24 where nobody answers, swept with real sockets. It runs in
// a private network namespace (unshare -rn) holding only a veth pair, so no packet can reach
// this machine's networks; skipped where user namespaces are not allowed.

import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const canUnshare = spawnSync('unshare', ['-rn', 'ip', 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']).status === 0
const script = fileURLToPath(new URL('./netns/silent-subnet-sweep.ts', import.meta.url))

describe.skipIf(!canUnshare)('SSH sweep of a silent /24 in a private namespace', () => {
  it('visits all 253 other hosts in well under 2 s', () => {
    const setup = [
      'ip link set lo up',
      'ip link add v0 type veth peer name v1',
      'ip addr add 10.99.0.1/24 dev v0',
      'ip link set v0 up',
      'ip link set v1 up',
      `exec "${process.execPath}" --import tsx "${script}"`
    ].join(' && ')
    const child = spawnSync('unshare', ['-rn', 'sh', '-c', setup], { encoding: 'utf8', timeout: 30_000 })
    expect(child.stderr).toBe('')
    const out = JSON.parse(child.stdout) as { subnets: string[]; wallMs: number; total: number; hits: unknown[]; timedOut: number; unreachable: number }
    expect(out.subnets).toEqual(['10.99.0.0/24'])
    expect(out.total).toBe(253)
    expect(out.hits).toEqual([])
    expect(out.timedOut + out.unreachable).toBe(253)
    expect(out.wallMs).toBeLessThan(1500)
  }, 40_000)
})
