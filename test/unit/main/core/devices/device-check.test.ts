import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { applyObservations } from '../../../../../src/main/core/devices/apply-observations'
import { createDeviceService } from '../../../../../src/main/core/devices/device-service'
import { EventHub } from '../../../../../src/main/core/event-hub'
import { JobRunner } from '../../../../../src/main/core/jobs/job-runner'
import { createDevicesRepo } from '../../../../../src/main/store/devices-repo'
import { createHistoryRepo } from '../../../../../src/main/store/history-repo'
import { createJobsRepo } from '../../../../../src/main/store/jobs-repo'
import { migrate } from '../../../../../src/main/store/migrate'
import { migrations } from '../../../../../src/main/store/migrations'

describe('devices check', () => {
  it('does not try to reach a unit whose address went to another unit: offline, and the log says why', async () => {
    const db = new Database(':memory:')
    migrate(db, migrations)
    const devices = createDevicesRepo(db)
    const opts = { defaultUser: 'pi', uniqueName: (b: string) => `${b}-${devices.list().length}` }
    applyObservations(devices, [{ source: 'ssh-sweep', at: 1000, ip: '10.77.0.11', mac: 'dc:a6:32:00:00:01' }], opts)
    applyObservations(devices, [{ source: 'ssh-sweep', at: 2000, ip: '10.77.0.11', mac: 'dc:a6:32:00:00:02' }], opts)
    const probed: string[] = []
    const jobs = new JobRunner(createJobsRepo(db), { updated: () => {}, log: () => {} })
    const service = createDeviceService({
      devices,
      history: createHistoryRepo(db),
      jobs,
      events: new EventHub(),
      probe: async (host) => (probed.push(host), { banner: 'SSH-2.0-OpenSSH_9.2p1', latencyMs: 1 })
    })
    const job = await jobs.wait(service.check())
    expect(job.state).toBe('succeeded')
    expect(probed).toEqual(['10.77.0.11'])
    const moved = devices.list().find((d) => d.mac === 'dc:a6:32:00:00:01')
    expect(moved).toMatchObject({ state: 'offline' })
    expect(createJobsRepo(db).detail(job.id)?.log.map((l) => l.text)).toContain(`${moved?.name}: no known address (last at 10.77.0.11); scan the network to find it again`)
  })
})
