// The device inventory: manual add, rename, remove, and a reachability check that runs as a job.
import { randomUUID } from 'node:crypto'
import type { Device } from '../../../shared/domain'
import { EdgeError } from '../../../shared/errors'
import { formatTarget, nameLooksLikeAddress } from '../../../shared/target'
import { text } from '../../../shared/texts'
import type { DevicesRepo } from '../../store/devices-repo'
import type { HistoryRepo } from '../../store/history-repo'
import type { EventHub } from '../event-hub'
import type { JobRunner } from '../jobs/job-runner'
import { mapLimit } from '../map-limit'
import { addressOf } from './apply-observations'
import { blankDevice } from './blank-device'
import { resolveDeviceRef } from './resolve-ref'
import type { SshProbe } from '../net/probe-ssh'

export interface DeviceServiceDeps {
  devices: DevicesRepo
  history: HistoryRepo
  jobs: JobRunner
  events: EventHub
  probe: (host: string, port: number, timeoutMs: number, signal: AbortSignal) => Promise<SshProbe>
  now?: () => number
}

export function createDeviceService(deps: DeviceServiceDeps) {
  const { devices, history, jobs, events } = deps
  const now = deps.now ?? Date.now
  const changed = () => events.emit('devices.changed', { devices: devices.list() })

  const get = (id: string): Device => {
    const d = devices.get(id)
    if (!d) throw new EdgeError('DEVICE_NOT_FOUND', id)
    return d
  }

  // A name such as "10.0.0.7" would be read as that address by every "name or address" command.
  const checkName = (name: string) => {
    if (nameLooksLikeAddress(name)) throw new EdgeError('DEVICE_NAME_LOOKS_LIKE_ADDRESS', name.trim())
  }

  const uniqueName = (base: string): string => {
    let name = base
    for (let i = 2; devices.findByName(name); i++) name = `${base} (${i})`
    return name
  }

  return {
    list: (): Device[] => devices.list(),
    get,
    uniqueName,

    /** Finds a device by id, id prefix, name or `user@host[:port]`; refuses a reference that fits two. */
    resolve: (ref: string): Device => resolveDeviceRef(devices, ref),

    add(input: { host: string; port: number; user: string; name?: string | undefined }): Device {
      if (devices.findByAddress(input.host, input.port)) {
        throw new EdgeError('DEVICE_EXISTS', formatTarget(input))
      }
      // The default name (the host itself) names this unit's own address, so only a given name is checked.
      if (input.name) checkName(input.name)
      if (input.name && devices.findByName(input.name)) throw new EdgeError('DEVICE_NAME_TAKEN', input.name)
      const device = blankDevice({
        id: randomUUID(),
        name: input.name ?? uniqueName(input.host),
        host: input.host,
        port: input.port,
        user: input.user,
        createdAt: now()
      })
      devices.insert(device)
      history.add({
        kind: 'device.added',
        deviceId: device.id,
        deviceName: device.name,
        jobId: null,
        summary: `Added ${device.name} (${formatTarget(device)})`,
        outcome: 'info'
      })
      changed()
      return device
    },

    remove(id: string): void {
      const d = get(id)
      devices.remove(id)
      history.add({
        kind: 'device.removed',
        deviceId: d.id,
        deviceName: d.name,
        jobId: null,
        summary: `Removed ${d.name} (${formatTarget(d)})`,
        outcome: 'info'
      })
      changed()
    },

    rename(id: string, name: string): Device {
      const d = get(id)
      if (d.name === name) return d
      checkName(name)
      const other = devices.findByName(name)
      if (other && other.id !== id) throw new EdgeError('DEVICE_NAME_TAKEN', name)
      devices.update(id, { name })
      history.add({
        kind: 'device.renamed',
        deviceId: id,
        deviceName: name,
        jobId: null,
        summary: `Renamed ${d.name} to ${name}`,
        outcome: 'info'
      })
      changed()
      return get(id)
    },

    /** Checks that SSH answers on each device; marks it online or offline. Returns the job id. */
    check(ids?: string[]): string {
      const targets = ids && ids.length > 0 ? ids.map(get) : devices.list()
      const job = jobs.start({ kind: 'devices.check', title: text('job.devicesCheck', { n: targets.length }) }, async (ctx) => {
        let done = 0
        let online = 0
        ctx.progress(0, targets.length)
        await ctx.step(text('step.connectEach'), () =>
          mapLimit(targets, 16, async (d) => {
            if (addressOf(d) === null) {
              // Its address went to another unit (see apply-observations): nothing to connect to.
              devices.update(d.id, { state: 'offline' })
              ctx.log('warn', `${d.name}: no known address (last at ${d.previousHost ?? '?'}); scan the network to find it again`)
              ctx.progress(++done, targets.length)
              return
            }
            try {
              const p = await deps.probe(d.host, d.port, 3000, ctx.signal)
              devices.update(d.id, { state: 'online', lastSeen: now(), sshBanner: p.banner })
              ctx.log('info', `${d.name} (${formatTarget(d)}): online, ${p.banner}, ${p.latencyMs} ms`)
              online++
            } catch (err) {
              if (ctx.signal.aborted) throw err
              devices.update(d.id, { state: 'offline' })
              ctx.log('warn', `${d.name} (${formatTarget(d)}): ${(err as Error).message}`)
            }
            ctx.progress(++done, targets.length)
            changed()
          })
        )
        ctx.log('info', `${online} of ${targets.length} online`)
      })
      return job.id
    }
  }
}
export type DeviceService = ReturnType<typeof createDeviceService>
