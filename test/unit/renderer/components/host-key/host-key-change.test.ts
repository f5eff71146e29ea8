// The UI reads both fingerprints back out of a HOST_KEY_CHANGED error's detail; the detail is
// written by the SSH layer's own error class, so the two are tested together here.
import { describe, expect, it } from 'vitest'
import { HostKeyChangedError } from '../../../../../src/main/core/ssh/host-key-pinning'
import { serializeError } from '../../../../../src/shared/errors'
import { hostKeyChangeOf, sameChange } from '../../../../../src/renderer/src/components/host-key/host-key-change'

const OLD = { algorithm: 'ssh-ed25519', fingerprint: 'SHA256:Qk9m1c3vJ0yS8x4Pq2w+ZpGfZ8y1t3c5b7n9m1k3j5h' }
const NEW = { algorithm: 'ssh-ed25519', fingerprint: 'SHA256:z/8aB1c2D3e4F5g6H7i8J9k0L1m2N3o4P5q6R7s8T9u' }

describe('hostKeyChangeOf', () => {
  it('reads host, port and both keys from the SSH layer\'s error', () => {
    const err = serializeError(new HostKeyChangedError('127.0.0.1', 40022, OLD, NEW))
    expect(hostKeyChangeOf(err)).toEqual({ host: '127.0.0.1', port: 40022, pinned: OLD, offered: NEW })
  })

  it('reads a unit that no longer offers a key of the pinned type', () => {
    const err = serializeError(new HostKeyChangedError('door-01.local', 22, OLD, null))
    expect(hostKeyChangeOf(err)).toEqual({ host: 'door-01.local', port: 22, pinned: OLD, offered: null })
  })

  it('reads a provisioning job\'s error, which puts the target first', () => {
    const detail = `bench-a: ${new HostKeyChangedError('127.0.0.1', 2222, OLD, NEW).detail} (and 1 more)`
    expect(hostKeyChangeOf({ code: 'HOST_KEY_CHANGED', detail })?.offered).toEqual(NEW)
  })

  it('ignores other errors and unreadable details', () => {
    expect(hostKeyChangeOf({ code: 'HOST_UNREACHABLE', detail: '127.0.0.1:22' })).toBeNull()
    expect(hostKeyChangeOf({ code: 'HOST_KEY_CHANGED', detail: 'something else' })).toBeNull()
    expect(hostKeyChangeOf(null)).toBeNull()
  })

  it('treats the same unit and keys as one change', () => {
    const a = hostKeyChangeOf(serializeError(new HostKeyChangedError('127.0.0.1', 22, OLD, NEW)))
    const b = hostKeyChangeOf(serializeError(new HostKeyChangedError('127.0.0.1', 22, OLD, { ...NEW, fingerprint: OLD.fingerprint.replace('Q', 'R') })))
    expect(a && sameChange(a, a)).toBe(true)
    expect(a && b && sameChange(a, b)).toBe(false)
  })
})
