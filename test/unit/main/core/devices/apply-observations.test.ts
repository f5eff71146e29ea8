import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { Device } from '../../../../../src/shared/domain'
import { addressOf, applyObservations } from '../../../../../src/main/core/devices/apply-observations'
import { blankDevice } from '../../../../../src/main/core/devices/blank-device'
import { migrate } from '../../../../../src/main/store/migrate'
import { migrations } from '../../../../../src/main/store/migrations'
import { createDevicesRepo } from '../../../../../src/main/store/devices-repo'

function setup() {
  const db = new Database(':memory:')
  migrate(db, migrations)
  const repo = createDevicesRepo(db)
  const uniqueName = (base: string) => {
    let name = base
    for (let i = 2; repo.findByName(name); i++) name = `${base} (${i})`
    return name
  }
  const apply = (obs: Parameters<typeof applyObservations>[1]) => applyObservations(repo, obs, { defaultUser: 'pi', uniqueName })
  return { repo, apply }
}

const manual = (over: Partial<Device>): Device =>
  blankDevice({ id: 'manual-1', name: 'lobby', host: '10.77.0.20', port: 22, user: 'pi', createdAt: 1, ...over })

describe('applyObservations: one inventory record per physical unit', () => {
  it('adds a unit found on the LAN, named by its hostname', () => {
    const { repo, apply } = setup()
    apply([{ source: 'ssh-sweep', at: 1000, ip: '10.77.0.11', mac: 'dc:a6:32:00:00:01', sshBanner: 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3' }])
    apply([{ source: 'mdns', at: 1001, ip: '10.77.0.11', hostname: 'raspberrypi.local' }])
    const [d] = repo.list()
    expect(repo.list()).toHaveLength(1)
    expect(d).toMatchObject({ host: '10.77.0.11', mac: 'dc:a6:32:00:00:01', isRaspberryPi: true, state: 'online', user: 'pi', port: 22 })
    expect(d?.sources).toEqual(expect.arrayContaining(['ssh-sweep', 'mdns']))
  })

  it('follows a DHCP address change on the same record, remembering the old address', () => {
    const { repo, apply } = setup()
    apply([{ source: 'ssh-sweep', at: 1000, ip: '10.77.0.11', mac: 'dc:a6:32:00:00:01' }])
    const id = repo.list()[0]?.id
    const changes = apply([{ source: 'ssh-sweep', at: 2000, ip: '10.77.0.42', mac: 'DC-A6-32-00-00-01' }])
    expect(repo.list()).toHaveLength(1)
    expect(repo.get(id as string)).toMatchObject({ host: '10.77.0.42', previousHost: '10.77.0.11' })
    expect(changes.ipChanged).toEqual([{ id, from: '10.77.0.11', to: '10.77.0.42' }])
  })

  it('fills in a manually added unit rather than adding it twice, and keeps its name', () => {
    const { repo, apply } = setup()
    repo.insert(manual({}))
    apply([{ source: 'ssh-sweep', at: 1000, ip: '10.77.0.20', mac: 'e4:5f:01:aa:bb:cc' }])
    expect(repo.list()).toHaveLength(1)
    expect(repo.get('manual-1')).toMatchObject({ name: 'lobby', mac: 'e4:5f:01:aa:bb:cc', isRaspberryPi: true })
    expect(repo.get('manual-1')?.sources).toEqual(expect.arrayContaining(['manual', 'ssh-sweep']))
  })

  it('never folds units reached through forwarded ports into one another', () => {
    const { repo, apply } = setup()
    repo.insert(manual({ id: 'a', name: 'vm-a', host: '127.0.0.1', port: 2201 }))
    repo.insert(manual({ id: 'b', name: 'vm-b', host: '127.0.0.1', port: 2202 }))
    apply([{ source: 'ssh-sweep', at: 1000, ip: '127.0.0.1', mac: 'dc:a6:32:00:00:09' }])
    expect(repo.get('a')).toMatchObject({ port: 2201, mac: null })
    expect(repo.get('b')).toMatchObject({ port: 2202, mac: null })
  })
})

describe('applyObservations after a sweep: units that stopped answering', () => {
  it('marks a unit of a swept subnet that nothing saw this time offline, keeping when it was last seen', () => {
    const { repo, apply } = setup()
    apply([
      { source: 'ssh-sweep', at: 1000, ip: '10.77.0.11', mac: 'dc:a6:32:00:00:01' },
      { source: 'ssh-sweep', at: 1000, ip: '10.77.0.12', mac: 'dc:a6:32:00:00:02' },
      { source: 'ssh-sweep', at: 1000, ip: '10.88.0.12', mac: 'dc:a6:32:00:00:03' }
    ])
    const changes = applyObservations(repo, [{ source: 'ssh-sweep', at: 5000, ip: '10.77.0.11', mac: 'dc:a6:32:00:00:01' }], {
      defaultUser: 'pi',
      uniqueName: (b) => b,
      sweptSubnets: ['10.77.0.0/24']
    })
    const byMac = (mac: string) => repo.list().find((d) => d.mac === mac)
    expect(byMac('dc:a6:32:00:00:01')).toMatchObject({ state: 'online', lastSeen: 5000 })
    expect(byMac('dc:a6:32:00:00:02')).toMatchObject({ state: 'offline', lastSeen: 1000, host: '10.77.0.12' })
    // not swept this time: nothing says it left
    expect(byMac('dc:a6:32:00:00:03')).toMatchObject({ state: 'online' })
    expect(changes.offline).toEqual([byMac('dc:a6:32:00:00:02')?.id])
  })
})

describe('applyObservations when addresses change hands', () => {
  it('gives a unit\'s old address to the unit that holds it now (a DHCP re-lease), without a clash in the store', () => {
    const { repo, apply } = setup()
    apply([{ source: 'ssh-sweep', at: 1000, ip: '10.77.0.11', mac: 'dc:a6:32:00:00:01' }])
    apply([{ source: 'ssh-sweep', at: 2000, ip: '10.77.0.11', mac: 'dc:a6:32:00:00:02' }])
    const byMac = (mac: string) => repo.list().find((d) => d.mac === mac)
    expect(byMac('dc:a6:32:00:00:02')).toMatchObject({ host: '10.77.0.11', state: 'online' })
    expect(byMac('dc:a6:32:00:00:01')).toMatchObject({ previousHost: '10.77.0.11', state: 'offline' })
    expect(addressOf(byMac('dc:a6:32:00:00:01')!)).toBeNull()
  })

  it('lets two units swap addresses in one scan', () => {
    const { repo, apply } = setup()
    apply([
      { source: 'ssh-sweep', at: 1000, ip: '10.77.0.11', mac: 'dc:a6:32:00:00:01' },
      { source: 'ssh-sweep', at: 1000, ip: '10.77.0.12', mac: 'dc:a6:32:00:00:02' }
    ])
    apply([
      { source: 'ssh-sweep', at: 2000, ip: '10.77.0.12', mac: 'dc:a6:32:00:00:01' },
      { source: 'ssh-sweep', at: 2000, ip: '10.77.0.11', mac: 'dc:a6:32:00:00:02' }
    ])
    expect(repo.list().map((d) => [d.mac, d.host]).sort()).toEqual([
      ['dc:a6:32:00:00:01', '10.77.0.12'],
      ['dc:a6:32:00:00:02', '10.77.0.11']
    ])
  })

  it('stores two units seen without an address (an mDNS name whose address did not arrive) side by side', () => {
    const { repo, apply } = setup()
    apply([
      { source: 'mdns', at: 1000, mac: 'dc:a6:32:00:00:01', hostname: 'door-1.local' },
      { source: 'mdns', at: 1000, mac: 'dc:a6:32:00:00:02', hostname: 'door-2.local' }
    ])
    expect(repo.list().map((d) => [d.hostname, addressOf(d)]).sort()).toEqual([
      ['door-1', null],
      ['door-2', null]
    ])
  })
})
