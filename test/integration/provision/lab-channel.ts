// The lab suites' own look at a Pi in the lab's network namespace: OpenSSH's client run inside the
// namespace, with the wire string built by THE quoting module (OpenSSH sends the words after `--`
// joined by spaces, so one word carrying `command.line` arrives exactly as built). Host keys are not
// pinned here: this is the test's witness, not EdgeDock.
import { spawn } from 'node:child_process'
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
