// LAN discovery as a job (sweep + neighbour table + mDNS, merged into the inventory) and USB snapshots.
import type { Settings } from '../../../shared/domain'
import { text } from '../../../shared/texts'
import { discoverLan, discoveredDevices, type LanDiscoveryPorts, type UsbSnapshot } from '../discovery'
import type { DevicesRepo } from '../../store/devices-repo'
import type { HistoryRepo } from '../../store/history-repo'
import type { EventHub } from '../event-hub'
import type { JobRunner } from '../jobs/job-runner'
import { applyObservations } from './apply-observations'
import { loginObservations, type LoginCredentials } from './login-facts'
import { scanResultDevices } from './scan-result'
import { runConsoleBootstrap, type ConsoleBootstrapRequest } from './console-bootstrap'
import { openConsolePort, type OpenConsole } from '../discovery/serial-open'
import type { SshService } from '../ssh'

export interface DiscoveryServiceDeps {
  devices: DevicesRepo
  history: HistoryRepo
  jobs: JobRunner
  events: EventHub
  settings: () => Settings
  lan: LanDiscoveryPorts
  scanUsb: () => Promise<UsbSnapshot>
  uniqueName: (base: string) => string
  ssh: SshService
  /** opens a console port for the serial bootstrap; serialport by default */
  openConsole?: (path: string, baudRate?: number) => Promise<OpenConsole>
}

export function createDiscoveryService(deps: DiscoveryServiceDeps) {
  return {
    /** Starts a LAN scan job; its result lists what was found (the CLI's --json items). */
    scan(opts: { subnets?: string[]; timeoutMs?: number; mdns?: boolean; login?: LoginCredentials }): string {
      const job = deps.jobs.start({ kind: 'discovery.scan', title: text('job.scan') }, async (ctx) => {
        const result = await ctx.step(text('step.sweep'), () =>
          discoverLan(deps.lan, {
            subnets: opts.subnets && opts.subnets.length ? opts.subnets : undefined,
            timeoutMs: opts.timeoutMs,
            mdns: opts.mdns,
            signal: ctx.signal,
            onProgress: (p) => ctx.progress(p.done, p.total)
          })
        )
        ctx.log('info', `Swept ${result.subnets.join(', ')}: ${result.sweep.total} addresses in ${result.sweep.elapsedMs} ms`)
        if (result.mdnsError) ctx.log('warn', result.mdnsError.message)
        const { login } = opts
        if (login) {
          const ips = [...new Set(result.observations.filter((o) => o.source === 'ssh-sweep' && o.ip).map((o) => o.ip as string))]
          const facts = await ctx.step(text('step.loginAndRead', { user: login.user }), () => loginObservations(deps.ssh, ips, login, ctx, Date.now))
          result.observations.push(...facts)
        }
        const changes = await ctx.step(text('step.updateInventory'), async () =>
          applyObservations(deps.devices, result.observations, {
            defaultUser: deps.settings().defaultUser,
            uniqueName: deps.uniqueName,
            sweptSubnets: result.subnets
          })
        )
        for (const c of changes.ipChanged) {
          const d = deps.devices.get(c.id)
          ctx.log('info', `${d?.name ?? c.id}: address changed from ${c.from ?? '?'} to ${c.to}`)
          deps.history.add({ kind: 'device.ip-changed', deviceId: c.id, deviceName: d?.name ?? null, jobId: ctx.jobId, summary: `Address changed from ${c.from ?? '?'} to ${c.to}`, outcome: 'info' })
        }
        for (const id of changes.offline) {
          const d = deps.devices.get(id)
          const last = d?.lastSeen ? new Date(d.lastSeen).toISOString() : 'never'
          ctx.log('info', `${d?.name ?? id}: no answer at ${d?.host ?? '?'}, offline (last seen ${last})`)
          deps.history.add({ kind: 'device.offline', deviceId: id, deviceName: d?.name ?? null, jobId: ctx.jobId, summary: `No answer at ${d?.host ?? '?'}; last seen ${last}`, outcome: 'info' })
        }
        const found = discoveredDevices(result.observations)
        ctx.log('info', `Found ${found.length} unit(s), ${found.filter((d) => d.isRaspberryPi).length} Raspberry Pi(s); ${changes.added.length} new, ${changes.offline.length} gone offline`)
        const devices = scanResultDevices(found, deps.devices.list(), changes.silent)
        ctx.setResult({ devices, subnets: result.subnets, sweep: result.sweep, mdnsError: result.mdnsError, elapsedMs: result.elapsedMs })
        deps.events.emit('devices.changed', { devices: deps.devices.list() })
      })
      return job.id
    },
    usb: (): Promise<UsbSnapshot> => deps.scanUsb(),
    /** Starts a serial console bootstrap job; its result: hostname, address, MAC, SSH state, inventory id. */
    consoleBootstrap(req: ConsoleBootstrapRequest): string {
      const job = deps.jobs.start({ kind: 'usb.console-bootstrap', title: text('job.consoleBootstrap', { path: req.path }) }, async (ctx) => {
        const result = await runConsoleBootstrap(
          {
            devices: deps.devices,
            events: deps.events,
            openPort: deps.openConsole ?? openConsolePort,
            defaultUser: () => deps.settings().defaultUser,
            uniqueName: deps.uniqueName
          },
          req,
          ctx
        )
        if (result.deviceId) {
          const d = deps.devices.get(result.deviceId)
          deps.history.add({ kind: 'device.console-bootstrap', deviceId: result.deviceId, deviceName: d?.name ?? null, jobId: ctx.jobId, summary: `Found over serial console ${req.path} at ${result.ip ?? 'no address'}${result.sshEnabled ? ', SSH turned on' : ''}`, outcome: 'info' })
        }
        ctx.setResult(result)
      })
      return job.id
    }
  }
}
export type DiscoveryService = ReturnType<typeof createDiscoveryService>
