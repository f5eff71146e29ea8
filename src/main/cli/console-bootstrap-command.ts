// `edgedock usb console-bootstrap <port>`: log in over a console cable (or a virtual Pi's console
// pty), read hostname and addresses, optionally turn SSH on. The password comes from an environment
// variable, never from the command line (where `ps` and shell history would show it).
import type { Command } from 'commander'
import type { ConsoleBootstrapResultDto } from '../../shared/discovery'
import { EdgeError } from '../../shared/errors'
import type { CliContext } from './cli-context'
import { followJob } from './follow-job'

export function registerConsoleBootstrap(usb: Command, c: CliContext): void {
  usb
    .command('console-bootstrap')
    .description('log in on a unit\'s serial console, read its hostname and addresses, optionally turn SSH on, and add it to the inventory')
    .argument('<port>', 'the console port, e.g. /dev/ttyUSB0 (see `edgedock usb`)')
    .option('--user <user>', 'user to log in as', 'pi')
    .requiredOption('--password-env <VAR>', 'the environment variable holding the password')
    .option('--enable-ssh', 'turn SSH on (sudo systemctl enable --now ssh)')
    .option('--baud <rate>', 'console speed', '115200')
    .action(async (path: string, o: { user: string; passwordEnv: string; enableSsh?: boolean; baud: string }) => {
      const password = process.env[o.passwordEnv]
      if (!password) throw new EdgeError('INVALID_INPUT', `the environment variable ${o.passwordEnv} is empty`)
      const baudRate = Number(o.baud)
      if (!Number.isInteger(baudRate)) throw new EdgeError('INVALID_INPUT', `--baud ${o.baud} is not a number`)
      const { jobId } = await c.call('usb.consoleBootstrap', { path, user: o.user, password, enableSsh: o.enableSsh === true, baudRate })
      const job = await followJob(c, jobId, c.json ? null : c.err)
      if (job.state !== 'succeeded') {
        c.print({ error: job.error }, () => `Console bootstrap ${job.state}: ${job.error?.message ?? ''}`)
        process.exitCode = 1
        return
      }
      const r = job.result as ConsoleBootstrapResultDto
      c.print(r, () =>
        [
          `hostname  ${r.hostname}`,
          `address   ${r.ip ?? 'none (not on a network yet)'}`,
          `mac       ${r.mac ?? ''}`,
          `ssh       ${r.sshEnabled ? 'turned on' : 'left as it was'}`,
          ...(r.ip ? [`next      edgedock devices check, or ssh ${o.user}@${r.ip}`] : [])
        ].join('\n')
      )
    })
}
