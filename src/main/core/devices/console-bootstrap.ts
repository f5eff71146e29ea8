// Serial console bootstrap as a job: open the console port, log in, read hostname and addresses,
// optionally turn SSH on, then put the unit in the inventory at the address it reported, so a unit
// that never showed up on the LAN scan can be found (and reached) from here.
import type { SerialBootstrapStep } from '../discovery/serial-bootstrap'
import { serialBootstrap, type Observation, type UnitInterface } from '../discovery'
import type { OpenConsole } from '../discovery/serial-open'
import { text } from '../../../shared/texts'
import { cmd } from '../ssh'
import type { JobContext } from '../jobs/job-runner'
import type { DevicesRepo } from '../../store/devices-repo'
import type { EventHub } from '../event-hub'
import { applyObservations } from './apply-observations'

export interface ConsoleBootstrapRequest {
  path: string
  user: string
  password: string
  enableSsh?: boolean
  baudRate?: number
}

export interface ConsoleBootstrapResult {
  port: string
  hostname: string
  ip: string | null
  mac: string | null
  interfaces: UnitInterface[]
  sshEnabled: boolean
  /** the inventory record now holding the unit, when it reported an address or a MAC */
  deviceId: string | null
}

export interface ConsoleBootstrapDeps {
  devices: DevicesRepo
  events: EventHub
  openPort: (path: string, baudRate?: number) => Promise<OpenConsole>
  defaultUser: () => string
  uniqueName: (base: string) => string
  now?: () => number
}

const STEP_TEXT: Record<SerialBootstrapStep, string> = {
  'waiting-for-login': 'Waiting for the login prompt',
  'logging-in': 'Logging in',
  reading: 'Reading hostname and addresses',
  'enabling-ssh': 'Turning SSH on',
  'logging-out': 'Logging out'
}

export async function runConsoleBootstrap(deps: ConsoleBootstrapDeps, req: ConsoleBootstrapRequest, ctx: JobContext): Promise<ConsoleBootstrapResult> {
  // The password goes to the console only: login(1) does not echo it, the transcript is not logged
  // and no error carries console output. (It is not registered as a job secret: the job log's
  // substring redaction would turn the default "raspberry" into "***" inside "raspberrypi".)
  const port = await ctx.step(text('step.openPort', { path: req.path }), () => deps.openPort(req.path, req.baudRate))
  // Cancelling closes the port; the bootstrap then stops with SERIAL_CONSOLE_CLOSED.
  const onAbort = () => void port.close()
  ctx.signal.addEventListener('abort', onAbort, { once: true })
  let result
  try {
    result = await ctx.step(text('step.consoleLogin', { user: req.user }), () =>
      serialBootstrap(port.stream, {
        username: req.user,
        password: req.password,
        toShell: (argv) => cmd(argv).line,
        enableSsh: req.enableSsh === true,
        onStep: (s) => ctx.log('info', STEP_TEXT[s])
      })
    )
  } finally {
    ctx.signal.removeEventListener('abort', onAbort)
    await port.close()
  }
  ctx.log('info', `${result.hostname}: ${result.ip ?? 'no IPv4 address'}${result.mac ? ` (${result.mac})` : ''}${result.sshEnabled ? ', SSH on' : ''}`)
  let deviceId: string | null = null
  if (result.ip || result.mac) {
    const at = (deps.now ?? Date.now)()
    const seen: Observation = { source: 'usb', at, ip: result.ip, mac: result.mac, hostname: result.hostname }
    const changes = applyObservations(deps.devices, [seen], { defaultUser: deps.defaultUser(), uniqueName: deps.uniqueName })
    deviceId = changes.added[0] ?? changes.updated[0] ?? null
    deps.events.emit('devices.changed', { devices: deps.devices.list() })
  }
  return { port: req.path, hostname: result.hostname, ip: result.ip, mac: result.mac, interfaces: result.interfaces, sshEnabled: result.sshEnabled, deviceId }
}
