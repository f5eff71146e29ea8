// `edgedock …`: the same services and the same dispatch as the UI, human output or --json.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Command, CommanderError } from 'commander'
import { EdgeError } from '../../shared/errors'
import type { EdgeDockApp } from '../app/create-app'
import { defaultDataDir } from '../app/data-dir'
import { projectRoot } from '../app/project-root'
import type { CliContext } from './cli-context'
import { registerBenchCommands } from './bench-commands'
import { registerDeployCommands } from './deploy-commands'
import { registerDeviceCommands } from './devices-commands'
import { registerDiscoverCommands } from './discover-commands'
import { registerHostKeyCommands } from './host-key-commands'
import { registerJobCommands } from './jobs-commands'
import { registerFlashCommands } from './flash-commands'
import { registerLogsCommands } from './logs-commands'
import { registerModelCommands } from './models-commands'
import { registerProvisionCommands } from './provision-commands'
import { registerQuantizeCommands } from './quantize-commands'

interface Globals {
  dataDir: string
  json?: boolean
}

export interface CliIo {
  out: (s: string) => void
  err: (s: string) => void
}

const stdio: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }

// Read at run time, from the sources or the bundle alike, so it always reports the checked-out version.
function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version
}

export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  // Only as the whole command line: `models import … --version 3` names a model version, and
  // commander's own version flag would swallow it anywhere on the line.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.out(`${packageVersion()}\n`)
    return 0
  }
  // The app (database, services, native modules) loads on the first call, not for --help or --version.
  let opened: Promise<EdgeDockApp> | null = null
  let ready: EdgeDockApp | null = null
  const program = new Command('edgedock')
    .description('EdgeDock: Raspberry Pis from unboxed to running a quantized model, measured')
    .addHelpText('after', '\nedgedock --version prints the EdgeDock version.')
    .option('--data-dir <dir>', 'where EdgeDock keeps its history', defaultDataDir())
    .option('--json', 'machine-readable output')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
  const globals = () => program.opts<Globals>()

  const app = () =>
    (opened ??= import('../app/create-app').then(({ createApp }) => (ready = createApp({ dataDir: globals().dataDir }))))
  // The dispatch module brings the zod contract; like the app it loads on the first call only, so
  // --help, --version and argument errors never pay for it.
  const client = async () => {
    const [{ directClient }, loaded] = await Promise.all([import('../api/dispatch'), app()])
    return directClient(loaded.dispatch)
  }
  const ctx: CliContext = {
    call: async (method, input) => (await client())(method, input),
    subscribe: async (listener) => (await app()).events.subscribe(listener),
    print: (value, human) => io.out(`${globals().json ? JSON.stringify(value, null, 2) : human()}\n`),
    err: io.err,
    get json() {
      return globals().json === true
    }
  }
  registerDeviceCommands(program, ctx)
  registerDiscoverCommands(program, ctx)
  registerModelCommands(program, ctx)
  registerProvisionCommands(program, ctx)
  registerDeployCommands(program, ctx)
  registerBenchCommands(program, ctx)
  registerHostKeyCommands(program, ctx)
  registerJobCommands(program, ctx)
  registerFlashCommands(program, ctx)
  registerLogsCommands(program, ctx)
  registerQuantizeCommands(program, ctx)

  try {
    await program.parseAsync(argv, { from: 'user' })
    return typeof process.exitCode === 'number' ? process.exitCode : 0
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2
    if (err instanceof EdgeError) {
      io.err(`${ctx.json ? JSON.stringify({ error: { code: err.code, message: err.message } }) : `Error: ${err.message}`}\n`)
      return 1
    }
    throw err
  } finally {
    ;(ready as EdgeDockApp | null)?.close()
  }
}
