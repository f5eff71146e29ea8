// The one local command the bench runs: `vcgencmd get_throttled` (Raspberry Pi OS only). Injected
// so tests replay recorded output and a unit without the tool reads "not available".
import { execFile } from 'node:child_process'

/** stdout of the command, or null when it is missing, fails or takes over the timeout. */
export type CommandRunner = (command: string, args: readonly string[]) => Promise<string | null>

export const runCommand: CommandRunner = (command, args) =>
  new Promise((resolve) => {
    execFile(command, [...args], { timeout: 2000, encoding: 'utf8' }, (err, stdout) => resolve(err ? null : stdout))
  })
