// ssh2 and socket errors in plain words. The original message is kept only after every secret the
// session knows (password, key passphrase) is cut out of it, so no error can carry one to a log.
import { EdgeError } from '../../../shared/errors'

export type SshPhase = 'connect' | 'session'

interface Ssh2ErrorLike {
  message?: string
  code?: string
  level?: string
}

/** A copy of the cause that holds nothing but a scrubbed message and code. */
function scrubbedCause(err: Ssh2ErrorLike, secrets: readonly string[]): Error {
  const message = secrets.reduce((m, s) => (s ? m.split(s).join('***') : m), String(err.message ?? err))
  const cause = new Error(message)
  if (err.code) Object.assign(cause, { code: err.code })
  if (err.level) Object.assign(cause, { level: err.level })
  return cause
}

export function sshError(raw: unknown, where: string, phase: SshPhase, secrets: readonly string[] = []): EdgeError {
  if (raw instanceof EdgeError) return raw
  const err = (raw ?? {}) as Ssh2ErrorLike
  const cause = scrubbedCause(err, secrets)
  const message = cause.message
  if (err.level === 'client-authentication') return new EdgeError('SSH_AUTH_REFUSED', where, { cause })
  if (err.level === 'client-timeout') {
    // Before "ready" it is the handshake timer; after, the keepalive found the link dead.
    return phase === 'connect' ? new EdgeError('TIMEOUT', where, { cause }) : new EdgeError('SSH_LINK_LOST', where, { cause })
  }
  switch (err.code) {
    case 'ECONNREFUSED':
      return new EdgeError('CONNECTION_REFUSED', where, { cause })
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EADDRNOTAVAIL':
      return new EdgeError('HOST_UNREACHABLE', where, { cause })
    case 'ETIMEDOUT':
      return phase === 'connect' ? new EdgeError('TIMEOUT', where, { cause }) : new EdgeError('SSH_LINK_LOST', where, { cause })
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return new EdgeError('SSH_LINK_LOST', where, { cause })
  }
  if (/not connected|connection lost|no response from server|socket.*(closed|ended)/i.test(message)) {
    return new EdgeError('SSH_LINK_LOST', where, { cause })
  }
  return new EdgeError('INTERNAL', `SSH to ${where}: ${message.slice(0, 200)}`, { cause })
}
