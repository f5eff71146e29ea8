// The explicit way past HOST_KEY_CHANGED (after a reflash the unit has a new key): read the key the
// unit offers now, check it against the fingerprint the user was shown, pin it, and say so in
// history. Nothing logs in; nothing changes on the unit.
import { EdgeError } from '../../../shared/errors'
import type { HostKeyIdentity } from './host-key'
import { HostKeyChangedError, pinnedKey, type HostKeyStore } from './host-key-pinning'
import { readHostKey } from './read-host-key'

export interface RepinDeps {
  hostKeys: HostKeyStore
  history: {
    add(e: { kind: string; deviceId: string | null; deviceName: string | null; jobId: string | null; summary: string; outcome: 'ok' }): number
  }
  readHostKey?: typeof readHostKey
  now?: () => number
}

export interface RepinOptions {
  /** The fingerprint the user confirmed; the pin is refused if the unit now offers another one. */
  expectedFingerprint?: string
  deviceId?: string | null
  deviceName?: string | null
  jobId?: string | null
  signal?: AbortSignal
  timeoutMs?: number
}

export interface RepinResult {
  previous: HostKeyIdentity | null
  current: HostKeyIdentity
}

export async function repinHostKey(deps: RepinDeps, host: string, port: number, opts: RepinOptions = {}): Promise<RepinResult> {
  const read = deps.readHostKey ?? readHostKey
  const current = await read(host, port, { signal: opts.signal, timeoutMs: opts.timeoutMs })
  const previous = pinnedKey(deps.hostKeys, host, port)
  if (opts.expectedFingerprint !== undefined && opts.expectedFingerprint !== current.fingerprint) {
    // The key changed again between showing it and confirming it: pin nothing.
    throw new HostKeyChangedError(host, port, { algorithm: current.algorithm, fingerprint: opts.expectedFingerprint }, current)
  }
  if (!/^SHA256:[A-Za-z0-9+/]{43}$/.test(current.fingerprint)) throw new EdgeError('INTERNAL', `unexpected fingerprint ${current.fingerprint}`)
  deps.hostKeys.pin({ host, port, ...current, pinnedAt: (deps.now ?? Date.now)() })
  deps.history.add({
    kind: 'ssh.host-key-repinned',
    deviceId: opts.deviceId ?? null,
    deviceName: opts.deviceName ?? null,
    jobId: opts.jobId ?? null,
    summary: previous
      ? `Host key of ${host}:${port} re-pinned: was ${previous.algorithm} ${previous.fingerprint}, now ${current.algorithm} ${current.fingerprint}`
      : `Host key of ${host}:${port} pinned: ${current.algorithm} ${current.fingerprint}`,
    outcome: 'ok'
  })
  return { previous, current }
}
