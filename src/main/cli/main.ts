// `edgedock …`: the same services and the same dispatch as the UI, human output or --json.
import { Command, CommanderError } from 'commander'
import { EdgeError } from '../../shared/errors'
import { directClient } from '../api/dispatch'
import { createApp, type EdgeDockApp } from '../app/create-app'
import { defaultDataDir } from '../app/data-dir'
import type { CliContext } from './cli-context'
import { registerDeployCommands } from './deploy-commands'
import { registerDeviceCommands } from './devices-commands'
import { registerDiscoverCommands } from './discover-commands'
import { registerHostKeyCommands } from './host-key-commands'
import { registerModelCommands } from './models-commands'
import { registerProvisionCommands } from './provision-commands'

interface Globals {
  dataDir: string
  json?: boolean
}

export interface CliIo {
  out: (s: string) => void
  err: (s: string) => void
}

const stdio: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }

export async function main(argv: string[], io: CliIo = stdio): Promise<number> {
  let app: EdgeDockApp | null = null
  const program = new Command('edgedock')
    .description('EdgeDock: Raspberry Pis from unboxed to running a quantized model, measured')
    .option('--data-dir <dir>', 'where EdgeDock keeps its history', defaultDataDir())
    .option('--json', 'machine-readable output')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
  const globals = () => program.opts<Globals>()

  const ctx: CliContext = {
    app: () => (app ??= createApp({ dataDir: globals().dataDir })),
    call: (method, input) => directClient(ctx.app().dispatch)(method, input),
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
  registerHostKeyCommands(program, ctx)

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
    ;(app as EdgeDockApp | null)?.close()
  }
}
