// Commands a lab benchmark times from inside the lab's namespace (not a benchmark itself): any
// command, one on the Pi over OpenSSH with its password, and the options scp and rsync need too.
import { spawnSync } from 'node:child_process'
import { cmd } from '../../src/main/core/ssh/remote-command'
import * as lab from '../lab'

/** For the lab's throwaway host keys: no prompt, nothing written to known_hosts. */
export const SSH_OPTIONS = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR']

export function labCommands(pi: { ip: string; user: string; password: string }) {
  const target = `${pi.user}@${pi.ip}`
  /** Runs argv in the lab's namespace; throws with its output unless it exits 0. */
  const inLab = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const [file, ...rest] = lab.inLabArgv(argv)
    const t = performance.now()
    const r = spawnSync(file as string, rest, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 })
    if (r.status !== 0) throw new Error(`${argv.slice(0, 6).join(' ')} failed: ${r.stderr}${r.stdout}`)
    return { ms: performance.now() - t, stdout: r.stdout }
  }
  /** `ssh` (or `scp`) with the Pi's password and SSH_OPTIONS, as an argv prefix. */
  const withPassword = (tool: 'ssh' | 'scp') => ['sshpass', '-p', pi.password, tool, ...SSH_OPTIONS]
  return { target, inLab, withPassword, onPi: (argv: string[]) => inLab([...withPassword('ssh'), target, cmd(argv).line]) }
}
