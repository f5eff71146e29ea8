// `edgedock discover` and `edgedock usb`
import type { Command } from 'commander'
import type { DiscoveredDeviceDto, UsbSnapshotDto } from '../../shared/discovery'
import { EdgeError } from '../../shared/errors'
import type { CliContext } from './cli-context'
import { followJob } from './follow-job'
import { table } from './format'
import { registerConsoleBootstrap } from './console-bootstrap-command'

export function registerDiscoverCommands(program: Command, c: CliContext): void {
  program
    .command('discover')
    .description('find Raspberry Pis on the local networks (SSH sweep, neighbour table, mDNS) and add them to the inventory')
    .option('--subnet <cidr>', 'scan this subnet (repeatable); default: each interface\'s subnet, at most a /24', (v: string, all: string[]) => [...all, v], [])
    .option('--timeout <seconds>', 'how long to wait for each host', '3')
    .option('--no-mdns', 'skip mDNS')
    .option('--login <user>', 'log in to each unit that answers SSH to read its model, serial and OS')
    .option('--password-env <VAR>', 'with --login: the password for first contact, from this environment variable')
    .action(async (o: { subnet: string[]; timeout: string; mdns: boolean; login?: string; passwordEnv?: string }) => {
      const password = o.passwordEnv ? process.env[o.passwordEnv] : undefined
      if (o.passwordEnv && !password) throw new EdgeError('INVALID_INPUT', `the environment variable ${o.passwordEnv} is empty`)
      const login = o.login ? { user: o.login, password } : undefined
      const { jobId } = await c.call('discovery.scan', { subnets: o.subnet, timeoutMs: Math.round(Number(o.timeout) * 1000), mdns: o.mdns, login })
      const job = await followJob(c, jobId, c.json ? null : c.err)
      if (job.state !== 'succeeded') {
        c.print({ error: job.error }, () => `Discovery ${job.state}: ${job.error?.message ?? ''}`)
        process.exitCode = 1
        return
      }
      const found = (job.result as { devices: DiscoveredDeviceDto[] }).devices
      c.print(found, () =>
        found.length
          ? table(
              found.map((d) => ({
                ip: d.ip ?? '',
                hostname: d.hostname ?? '',
                model: d.model ?? (d.isRaspberryPi ? 'Raspberry Pi' : ''),
                mac: d.mac ?? '',
                ssh: d.sshBanner ?? '',
                sources: d.sources.join(','),
                state: d.state === 'offline' ? `offline, last seen ${d.lastSeen}` : d.state
              })),
              ['ip', 'hostname', 'model', 'mac', 'ssh', 'sources', 'state']
            )
          : 'No units found. Check that the Pi is powered and on this network, or add it by address: edgedock devices add pi@IP'
      )
    })

  const usb = program
    .command('usb')
    .description('console cables, Pis in USB gadget or boot-ROM mode, and removable drives on this computer')
    .action(async () => {
      const s: UsbSnapshotDto = await c.call('usb.scan', {})
      c.print(s, () => {
        const lines: string[] = []
        if (s.serialPorts.status === 'error') lines.push(`Serial ports: ${s.serialPorts.message}`)
        else lines.push(`Serial ports: ${s.serialPorts.ports.map((p) => `${p.path} (${p.label})`).join(', ') || 'none'}`)
        lines.push(`Pi USB devices: ${s.devices.map((d) => `${d.busId} ${d.label}`).join(', ') || 'none'}`)
        lines.push(
          `Drives:\n${table(
            s.drives.map((d) => ({
              path: d.path,
              size: `${(d.sizeBytes / 1e9).toFixed(1)} GB`,
              model: [d.vendor, d.model].filter(Boolean).join(' '),
              transport: d.transport ?? '',
              note: d.isSystem ? `system disk (${d.systemReasons.join(', ')}): never written` : 'removable'
            })),
            ['path', 'size', 'model', 'transport', 'note']
          )}`
        )
        return lines.join('\n')
      })
    })
  registerConsoleBootstrap(usb, c)
}
