// ssh2's failures in plain words, and never a secret in what is kept of the original message.
import { describe, expect, it } from 'vitest'
import { sshError } from '../../../../../src/main/core/ssh/ssh-errors'

const e = (message: string, extra: Record<string, string> = {}) => Object.assign(new Error(message), extra)

describe('ssh errors', () => {
  it.each([
    [e('All configured authentication methods failed', { level: 'client-authentication' }), 'connect', 'SSH_AUTH_REFUSED'],
    [e('Timed out while waiting for handshake', { level: 'client-timeout' }), 'connect', 'TIMEOUT'],
    [e('Keepalive timeout', { level: 'client-timeout' }), 'session', 'SSH_LINK_LOST'],
    [e('connect ECONNREFUSED 127.0.0.1:22', { code: 'ECONNREFUSED' }), 'connect', 'CONNECTION_REFUSED'],
    [e('connect EHOSTUNREACH', { code: 'EHOSTUNREACH' }), 'connect', 'HOST_UNREACHABLE'],
    [e('getaddrinfo ENOTFOUND pi.local', { code: 'ENOTFOUND' }), 'connect', 'HOST_UNREACHABLE'],
    [e('read ECONNRESET', { code: 'ECONNRESET' }), 'session', 'SSH_LINK_LOST'],
    [e('No response from server'), 'session', 'SSH_LINK_LOST'],
    [e('something odd'), 'session', 'INTERNAL']
  ] as const)('%s during %s -> %s', (err, phase, code) => {
    expect(sshError(err, 'pi.local:22', phase).code).toBe(code)
  })

  it('scrubs secrets from the kept message and the cause', () => {
    const out = sshError(e('weird failure near hunter2!', { code: 'EWEIRD' }), 'pi.local:22', 'session', ['hunter2'])
    expect(out.message).not.toContain('hunter2')
    expect(out.detail).not.toContain('hunter2')
    expect(String((out.cause as Error).message)).toBe('weird failure near ***!')
    expect(JSON.stringify(out)).not.toContain('hunter2')
  })
})
