// `edgedock devices …`
import type { Command } from 'commander'
import type { Device } from '../../shared/domain'
import { EdgeError } from '../../shared/errors'
import { parseTarget } from '../../shared/target'
import type { CliContext } from './cli-context'
import { followJob } from './follow-job'
import { ago, table } from './format'

export function registerDeviceCommands(program: Command, c: CliContext): void {
  const devices = program.command('devices').description('the device inventory')
  const resolve = (ref: string) => c.call('devices.resolve', { ref })

  devices
    .command('add <target>')
    .description('add a unit by address: user@host[:port]')
    .option('--name <name>', 'a name to show instead of the address')
    .action(async (target: string, o: { name?: string }) => {
      const t = parseTarget(target)
      if (!t.ok) throw new EdgeError('INVALID_INPUT', t.reason)
      const d = await c.call('devices.add', { ...t.target, name: o.name })
      c.print(d, () => `Added ${d.name} (${d.user}@${d.host}:${d.port})`)
    })
  devices
    .command('list')
    .description('list the units EdgeDock knows')
    .action(async () => {
      const list = await c.call('devices.list', {})
      c.print(list, () => (list.length ? deviceTable(list) : 'No devices yet. Add one: edgedock devices add pi@192.168.1.50'))
    })
  devices
    .command('remove <device>')
    .description('remove a unit (by name, id or address) from the inventory')
    .action(async (ref: string) => {
      const d = await resolve(ref)
      await c.call('devices.remove', { id: d.id })
      c.print({ ok: true, id: d.id }, () => `Removed ${d.name}`)
    })
  devices
    .command('rename <device> <name>')
    .description('give a unit a new display name')
    .action(async (ref: string, name: string) => {
      const d = await c.call('devices.rename', { id: (await resolve(ref)).id, name })
      c.print(d, () => `Renamed to ${d.name}`)
    })
  devices
    .command('check [device...]')
    .description('check that SSH answers on each unit (all units if none named)')
    .action(async (refs: string[]) => {
      const { jobId } = await c.call('devices.check', { ids: await Promise.all(refs.map(async (r) => (await resolve(r)).id)) })
      const job = await followJob(c, jobId, c.json ? null : c.err)
      const list = await c.call('devices.list', {})
      c.print({ job, devices: list }, () => deviceTable(list))
      if (job.state !== 'succeeded') process.exitCode = 1
    })
}

function deviceTable(list: Device[]): string {
  return table(
    list.map((d) => ({
      name: d.name,
      address: `${d.user}@${d.host}${d.port === 22 ? '' : `:${d.port}`}`,
      state: d.state,
      model: d.model ?? '',
      mac: d.mac ?? '',
      'last seen': ago(d.lastSeen)
    })),
    ['name', 'address', 'state', 'model', 'mac', 'last seen']
  )
}
