// The adapter sends every step command through the SSH layer's quoting module: what reaches the
// unit's shell is one literal word per argument, whatever a variable held.
import { describe, expect, it } from 'vitest'
import { sshRemoteShell, type CommandSession } from '../../../../../src/main/core/provision/ssh-remote-shell'
import type { SshSession } from '../../../../../src/main/core/ssh'
import { sudo } from '../../../../../src/main/core/ssh/remote-command'
import { FakeDevice } from './fake-device'
import { runProfile } from './fixture'

// The SSH layer's session is a CommandSession as it is (checked by the compiler here).
const _sessionFits: (s: SshSession) => CommandSession = (s) => s
void _sessionFits

/** Does what SshSession.run does with a built command: `sudo -n --` in front when asked. */
function recordingChannel() {
  const lines: string[] = []
  const session: CommandSession = {
    run: async (command, opts) => {
      lines.push((opts.sudo ? sudo(command) : command).line)
      return { code: 0, stdout: opts.stdin ?? '', stderr: '' }
    },
    reconnect: async () => undefined,
    close: async () => undefined
  }
  return { lines, shell: sshRemoteShell(session) }
}

describe('ssh-remote-shell', () => {
  it('builds plain and sudo commands with the quoting module', async () => {
    const { lines, shell } = recordingChannel()
    await shell.run(['hostnamectl', 'set-hostname', 'door-hq-01'], { sudo: true })
    await shell.run(['nmcli', 'connection', 'add', 'ifname', '*', 'ssid', "Joe's Café"], { sudo: true })
    await shell.run(['cat', '--', '.ssh/authorized_keys'])
    expect(lines).toEqual([
      'sudo -n -- hostnamectl set-hostname door-hq-01',
      "sudo -n -- nmcli connection add ifname '*' ssid 'Joe'\\''s Café'",
      'cat -- .ssh/authorized_keys'
    ])
  })

  it('passes sudo, stdin and the time limit on to the session', async () => {
    const seen: unknown[] = []
    const shell = sshRemoteShell({
      run: async (c, opts) => (seen.push([c.line, opts]), { code: 0, stdout: '', stderr: '' }),
      reconnect: async () => undefined,
      close: async () => undefined
    })
    await shell.run(['install', '-m', '644', '/dev/stdin', '/etc/hosts.edgedock-new'], { sudo: true, stdin: 'x\n', timeoutMs: 5 })
    expect(seen).toEqual([['install -m 644 /dev/stdin /etc/hosts.edgedock-new', { sudo: true, stdin: 'x\n', timeoutMs: 5 }]])
  })

  it('quotes every command a door-access run issues so the unit sees the same argv', async () => {
    // Run the real profile on the fake, then check each recorded argv survives quoting unchanged.
    const device = new FakeDevice({ wifi: true })
    await runProfile('door-access-unit', { 'pi@10.77.0.11': device }, { vars: { site: 'hq', unit: '01', locale: 'C.UTF-8', wifi_ssid: 'Site Net', wifi_psk: 'correct-horse-42' } })
    const { lines, shell } = recordingChannel()
    for (const c of device.commands) await shell.run(c.argv, { sudo: c.sudo })
    expect(lines).toHaveLength(device.commands.length)
    const unquote = (line: string) => [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replaceAll("'\\''", "'") : m[2]))
    device.commands.forEach((c, i) => {
      const words = unquote(lines[i] as string)
      expect(c.sudo ? words.slice(3) : words).toEqual(c.argv)
    })
  })
})
