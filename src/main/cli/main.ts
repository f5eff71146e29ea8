// `edgedock …`: the same services and the same dispatch as the UI, human output or --json.
import { Command, CommanderError } from 'commander'
import type { Device } from '../../shared/domain'
import { EdgeError } from '../../shared/errors'
import { parseTarget } from '../../shared/target'
import { directClient } from '../api/dispatch'
import { createApp, type EdgeDockApp } from '../app/create-app'
import { defaultDataDir } from '../app/data-dir'
import { ago, table } from './format'
import { followJob } from './follow-job'

interface Globals {
  dataDir: string
  json?: boolean
}

export async function main(argv: string[], io: { out: (s: string) => void; err: (s: string) => void } = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s)
}): Promise<number> {
  let app: EdgeDockApp | null = null
  const open = (g: Globals) => {
    app ??= createApp({ dataDir: g.dataDir })
    return { app, call: directClient(app.dispatch) }
  }
  const print = (g: Globals, value: unknown, human: () => string) => io.out(`${g.json ? JSON.stringify(value, null, 2) : human()}\n`)

  const program = new Command('edgedock')
    .description('EdgeDock: Raspberry Pis from unboxed to running a quantized model, measured')
    .option('--data-dir <dir>', 'where EdgeDock keeps its history', defaultDataDir())
    .option('--json', 'machine-readable output')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
  const globals = () => program.opts<Globals>()

  const devices = program.command('devices').description('the device inventory')
  devices
    .command('add <target>')
    .description('add a unit by address: user@host[:port]')
    .option('--name <name>', 'a name to show instead of the address')
    .action(async (target: string, o: { name?: string }) => {
      const t = parseTarget(target)
      if (!t.ok) throw new EdgeError('INVALID_INPUT', t.reason)
      const d = await open(globals()).call('devices.add', { ...t.target, name: o.name })
      print(globals(), d, () => `Added ${d.name} (${d.user}@${d.host}:${d.port})`)
    })
  devices
    .command('list')
    .description('list the units EdgeDock knows')
    .action(async () => {
      const list = await open(globals()).call('devices.list', {})
      print(globals(), list, () => (list.length ? deviceTable(list) : 'No devices yet. Add one: edgedock devices add pi@192.168.1.50'))
    })
  devices
    .command('remove <device>')
    .description('remove a unit (by name, id or address) from the inventory')
    .action(async (ref: string) => {
      const { app: a, call } = open(globals())
      const d = a.services.devices.resolve(ref)
      await call('devices.remove', { id: d.id })
      print(globals(), { ok: true, id: d.id }, () => `Removed ${d.name}`)
    })
  devices
    .command('rename <device> <name>')
    .description('give a unit a new display name')
    .action(async (ref: string, name: string) => {
      const { app: a, call } = open(globals())
      const d = await call('devices.rename', { id: a.services.devices.resolve(ref).id, name })
      print(globals(), d, () => `Renamed to ${d.name}`)
    })
  devices
    .command('check [device...]')
    .description('check that SSH answers on each unit (all units if none named)')
    .action(async (refs: string[]) => {
      const { app: a, call } = open(globals())
      const ids = refs.map((r) => a.services.devices.resolve(r).id)
      const { jobId } = await call('devices.check', { ids })
      const job = await followJob(a, jobId, globals().json ? null : io.err)
      const list = await call('devices.list', {})
      print(globals(), { job, devices: list }, () => deviceTable(list))
      if (job.state !== 'succeeded') process.exitCode = 1
    })

  program
    .command('jobs')
    .description('recent jobs and how they ended')
    .option('--limit <n>', 'how many jobs', '20')
    .action(async (o: { limit: string }) => {
      const list = await open(globals()).call('jobs.list', { limit: Number(o.limit) })
      print(globals(), list, () =>
        list.length
          ? table(
              list.map((j) => ({
                started: new Date(j.createdAt).toISOString().replace('T', ' ').slice(0, 19),
                job: j.title,
                state: j.state,
                error: j.error?.message ?? ''
              })),
              ['started', 'job', 'state', 'error']
            )
          : 'No jobs yet.'
      )
    })

  program
    .command('history')
    .description('what was done to which unit, newest first')
    .option('--device <device>', 'only this unit')
    .option('--limit <n>', 'how many entries', '50')
    .action(async (o: { device?: string; limit: string }) => {
      const { app: a, call } = open(globals())
      const deviceId = o.device ? a.services.devices.resolve(o.device).id : undefined
      const entries = await call('history.query', { deviceId, limit: Number(o.limit) })
      print(globals(), entries, () =>
        entries.length
          ? table(
              entries.map((e) => ({
                when: new Date(e.ts).toISOString().replace('T', ' ').slice(0, 19),
                device: e.deviceName ?? '',
                what: e.kind,
                outcome: e.outcome,
                summary: e.summary
              })),
              ['when', 'device', 'what', 'outcome', 'summary']
            )
          : 'No history yet.'
      )
    })

  try {
    await program.parseAsync(argv, { from: 'user' })
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2
    if (err instanceof EdgeError) {
      io.err(`${globals().json ? JSON.stringify({ error: { code: err.code, message: err.message } }) : `Error: ${err.message}`}\n`)
      return 1
    }
    throw err
  } finally {
    ;(app as EdgeDockApp | null)?.close()
  }
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
