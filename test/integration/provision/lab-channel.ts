// A CommandSession to a lab Pi in the lab's network namespace, where the app's SshSession (node-ssh
// in this process) cannot reach: OpenSSH's client run inside the namespace, with the wire string
// built by THE quoting module (OpenSSH sends the words after `--` joined by spaces, so one word
// carrying `command.line` arrives exactly as built). Host keys are not pinned here; that is the SSH
// layer's job and has its own tests.
import { spawn } from 'node:child_process'
import { cmd, sudo } from '../../../src/main/core/ssh/remote-command'
import type { CommandSession } from '../../../src/main/core/provision/ssh-remote-shell'
import type { RunResult } from '../../../src/main/core/provision'
import { inLabArgv, type InventoryEntry } from '../../lab'

export function run(argv: string[], stdin: string | undefined, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(argv[0] as string, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    child.stdin.on('error', () => undefined)
    child.stdin.end(stdin ?? '')
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? 255, stdout, stderr })
    })
  })
}

export function sshArgv(u: InventoryEntry, keyFile: string, opts: { passwordOnly?: boolean; connectTimeoutS?: number } = {}): string[] {
  const auth = opts.passwordOnly
    ? ['-o', 'PubkeyAuthentication=no', '-o', 'PreferredAuthentications=password,keyboard-interactive']
    : ['-i', keyFile, '-o', 'IdentitiesOnly=yes', '-o', 'PreferredAuthentications=publickey,password']
  const argv = [
    'sshpass', '-p', u.password, 'ssh', ...auth,
    '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR',
    '-o', `ConnectTimeout=${opts.connectTimeoutS ?? 10}`, '-p', String(u.port), `${u.user}@${u.ip}`, '--'
  ]
  return u.netns ? inLabArgv(argv) : argv
}

const REFUSED = /Connection refused|Connection reset|kex_exchange_identification/

/**
 * Each command is its own connection here (unlike the app's one session per unit), so the moment
 * sshd re-executes itself on `systemctl reload ssh` can refuse one: try again briefly.
 */
async function runOnUnit(argv: string[], stdin: string | undefined, timeoutMs: number): Promise<RunResult> {
  for (let attempt = 1; ; attempt++) {
    const r = await run(argv, stdin, timeoutMs)
    if (r.code !== 255 || !REFUSED.test(r.stderr) || attempt >= 5) return r
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

export function labChannel(u: InventoryEntry, keyFile: string): CommandSession {
  return {
    run: (command, opts) => runOnUnit([...sshArgv(u, keyFile), (opts.sudo ? sudo(command) : command).line], opts.stdin, opts.timeoutMs ?? 120_000),
    close: async () => undefined,
    async reconnect({ timeoutMs }) {
      const r = await run([...sshArgv(u, keyFile, { connectTimeoutS: 10 }), cmd(['true']).line], undefined, timeoutMs)
      if (r.code !== 0) throw new Error(r.stderr.trim() || `ssh exited with ${r.code}`)
    }
  }
}
