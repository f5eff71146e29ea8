// TCP connections that start on the unit (ssh2 forwardOut), for services on its loopback or behind
// its firewall. Needs sshd's AllowTcpForwarding (on by default); the stream closes with the session.
import type { ClientChannel } from 'ssh2'
import { EdgeError } from '../../../shared/errors'
import type { SshLink } from './ssh-link'

/** Nothing listens on that port on the unit (or sshd does not allow forwarding): the link itself is fine. */
export class PortClosedError extends EdgeError {
  constructor(host: string, port: number, where: string, cause: unknown) {
    super('REMOTE_PORT_CLOSED', `port ${port} of ${host} as seen from ${where}`, { cause })
  }
}

export function connectOnUnit(link: SshLink, port: number, host: string, signal: AbortSignal | undefined, timeoutMs: number): Promise<ClientChannel> {
  return link.track({
    signal,
    timeoutMs,
    onTimeoutError: () => new EdgeError('TIMEOUT', `port ${port} on ${link.where}`),
    onTimeout: () => undefined,
    work: () =>
      new Promise<ClientChannel>((resolve, reject) => {
        const conn = link.ssh.connection
        if (!conn) return reject(new EdgeError('SSH_LINK_LOST', link.where))
        conn.forwardOut('127.0.0.1', 0, host, port, (err, channel) => (err ? reject(new PortClosedError(host, port, link.where, err)) : resolve(channel)))
      })
  })
}
