// Serial console bootstrap: a unit that never joined the network (or whose address nobody knows)
// is reached over its console cable. Log in, read hostname and addresses, optionally turn on SSH,
// log out again so the console is not left open.

import {
  SerialCommandFailedError,
  SerialCommandTimeoutError,
  SerialLoginIncorrectError,
  SerialLoginTimeoutError
} from './errors'
import { IP_ADDR_COMMAND, parseIpAddrJson, primaryInterface, type UnitInterface } from './ip-addr'
import { ConsoleSession, ConsoleTimeoutError, type ConsoleStream } from './serial-console'

export const HOSTNAME_COMMAND = ['hostname'] as const
export const ENABLE_SSH_COMMAND = ['sudo', 'systemctl', 'enable', '--now', 'ssh'] as const

export type SerialBootstrapStep = 'waiting-for-login' | 'logging-in' | 'reading' | 'enabling-ssh' | 'logging-out'

export interface SerialBootstrapOptions {
  username: string
  password: string
  /** the lead's quoting module: one argument array -> one shell command line */
  toShell: (argv: readonly string[]) => string
  enableSsh?: boolean
  /** a unit still booting prints its login prompt late; default 60 s */
  loginTimeoutMs?: number
  commandTimeoutMs?: number
  /**
   * `systemctl enable` reloads systemd, which takes far longer than reading a file: 35 s measured on
   * an emulated lab Pi, tens of seconds on a busy Pi Zero. Default 120 s.
   */
  enableSshTimeoutMs?: number
  /** Enter is re-sent this often while no prompt shows (a getty only reprints on input) */
  wakeIntervalMs?: number
  onStep?: (step: SerialBootstrapStep) => void
}

export interface SerialBootstrapResult {
  hostname: string
  interfaces: UnitInterface[]
  /** address and MAC to reach the unit by (wired first), when it has one */
  ip: string | null
  mac: string | null
  sshEnabled: boolean
  /** raw console text, for the job log (the password is never echoed by login) */
  transcript: string
}

const LOGIN_PROMPT = /login:\s*$/
const PASSWORD_PROMPT = /password:\s*$/i
const SHELL_PROMPT = /[$#]\s?$/
const LOGIN_INCORRECT = /Login incorrect/
const SUDO_PROMPT = /\[sudo\] password for [^:]*:\s*$/
// Our own prompt carries the exit status of the last command, e.g. "__EDGEDOCK__0 ".
const MARKER = /__EDGEDOCK__(\d+) $/
// A fixed line, no data in it: turns off echo and sets the marker prompt. The "$?" inside the
// single quotes is expanded by bash at each prompt, which is the point.
const SETUP_LINE = "stty -echo; PS1='__EDGEDOCK__$? '; PS2=''"
// printk lines the kernel writes to the console in the middle of command output.
const KERNEL_LINE = /^\[\s*\d+\.\d+\].*$/gm

type Prompt = 'login' | 'password' | 'shell'

export async function serialBootstrap(stream: ConsoleStream, options: SerialBootstrapOptions): Promise<SerialBootstrapResult> {
  const session = new ConsoleSession(stream)
  const loginTimeoutMs = options.loginTimeoutMs ?? 60_000
  const commandTimeoutMs = options.commandTimeoutMs ?? 20_000
  const wakeIntervalMs = options.wakeIntervalMs ?? 3_000
  const step = (s: SerialBootstrapStep): void => options.onStep?.(s)

  async function waitForPrompt(): Promise<Prompt> {
    const deadline = Date.now() + loginTimeoutMs
    for (;;) {
      session.send('\r')
      try {
        const { value } = await session.expect<Prompt>(
          [
            { pattern: LOGIN_PROMPT, value: 'login' },
            { pattern: PASSWORD_PROMPT, value: 'password' },
            { pattern: SHELL_PROMPT, value: 'shell' },
            // a shell an earlier, interrupted bootstrap left behind, still with our prompt
            { pattern: MARKER, value: 'shell' }
          ],
          Math.min(wakeIntervalMs, Math.max(1, deadline - Date.now()))
        )
        return value
      } catch (error) {
        if (!(error instanceof ConsoleTimeoutError)) throw error
        if (Date.now() >= deadline) throw new SerialLoginTimeoutError('login prompt', error.lastOutput)
      }
    }
  }

  async function login(): Promise<void> {
    step('waiting-for-login')
    let prompt = await waitForPrompt()
    if (prompt === 'password') {
      // Someone left a half-typed login: an empty password gets us a fresh login prompt.
      session.send('\r')
      prompt = (await expectOrTimeout([{ pattern: LOGIN_PROMPT, value: 'login' as const }], loginTimeoutMs, 'login prompt')).value
    }
    if (prompt === 'shell') return
    step('logging-in')
    session.clear()
    session.send(`${options.username}\r`)
    const asked = await expectOrTimeout(
      [
        { pattern: PASSWORD_PROMPT, value: 'password' as const },
        { pattern: SHELL_PROMPT, value: 'shell' as const }
      ],
      loginTimeoutMs,
      'password prompt'
    )
    if (asked.value === 'shell') return
    session.send(`${options.password}\r`)
    const outcome = await expectOrTimeout(
      [
        { pattern: LOGIN_INCORRECT, value: 'incorrect' as const },
        { pattern: LOGIN_PROMPT, value: 'incorrect' as const },
        { pattern: SHELL_PROMPT, value: 'shell' as const }
      ],
      loginTimeoutMs,
      'shell prompt after login'
    )
    if (outcome.value === 'incorrect') throw new SerialLoginIncorrectError()
  }

  async function expectOrTimeout<T>(list: ReadonlyArray<{ pattern: RegExp; value: T }>, timeoutMs: number, what: string) {
    try {
      return await session.expect(list, timeoutMs)
    } catch (error) {
      if (error instanceof ConsoleTimeoutError) throw new SerialLoginTimeoutError(what, error.lastOutput)
      throw error
    }
  }

  async function sendLine(line: string, label: string, timeoutMs = commandTimeoutMs): Promise<{ output: string; exitCode: number }> {
    session.clear()
    session.send(`${line}\r`)
    let output = ''
    for (;;) {
      let got
      try {
        got = await session.expect(
          [
            { pattern: MARKER, value: 'done' as const },
            { pattern: SUDO_PROMPT, value: 'sudo' as const }
          ],
          timeoutMs
        )
      } catch (error) {
        if (error instanceof ConsoleTimeoutError) throw new SerialCommandTimeoutError(label)
        throw error
      }
      output += got.before
      if (got.value === 'sudo') {
        session.send(`${options.password}\r`)
        continue
      }
      return { output: output.replace(/\r/g, '').replace(KERNEL_LINE, '').trim(), exitCode: Number(got.match[1]) }
    }
  }

  async function run(argv: readonly string[], timeoutMs = commandTimeoutMs): Promise<string> {
    const label = argv.join(' ')
    const { output, exitCode } = await sendLine(options.toShell(argv), label, timeoutMs)
    if (exitCode !== 0) throw new SerialCommandFailedError(label, exitCode, output)
    return output
  }

  let loggedIn = false
  try {
    await login()
    loggedIn = true
    step('reading')
    await sendLine(SETUP_LINE, 'stty -echo')
    const hostname = (await run(HOSTNAME_COMMAND)).split('\n').filter((l) => l.trim() !== '').at(-1)?.trim() ?? ''
    const interfaces = parseIpAddrJson(await run(IP_ADDR_COMMAND))
    let sshEnabled = false
    if (options.enableSsh) {
      step('enabling-ssh')
      await run(ENABLE_SSH_COMMAND, options.enableSshTimeoutMs ?? 120_000)
      sshEnabled = true
    }
    step('logging-out')
    // Leave the console as found: at a login prompt, not an open root-capable shell.
    loggedIn = false
    session.send('exit\r')
    await session.expect([{ pattern: LOGIN_PROMPT, value: true }], 3_000).catch(() => undefined)
    const primary = primaryInterface(interfaces)
    return {
      hostname,
      interfaces,
      ip: primary?.ipv4[0]?.address ?? null,
      mac: primary?.mac ?? null,
      sshEnabled,
      transcript: session.transcript
    }
  } finally {
    // Failed half-way (a command timed out): still log out, once the shell gets to read the line.
    if (loggedIn) session.send('exit\r')
    session.dispose()
  }
}
