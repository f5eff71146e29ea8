// Trust on first use, decided inside ssh2's hostVerifier: that callback runs during key exchange,
// before the client sends any user-auth request, so a changed key ends the connection before a
// password or key is ever offered.
import { EdgeError } from '../../../shared/errors'
import { hostKeyIdentity, type HostKeyIdentity } from './host-key'

/** The pinned-keys table as the SSH layer sees it (store/host-keys-repo implements it). */
export interface HostKeyStore {
  get(host: string, port: number): { algorithm: string; fingerprint: string; pinnedAt: number } | undefined
  pin(key: { host: string; port: number; algorithm: string; fingerprint: string; pinnedAt: number }): void
}

export interface HostKeyCheck extends HostKeyIdentity {
  /** True when this connection pinned the key (first contact). */
  pinnedNow: boolean
}

/** Thrown when the unit offers a key other than the pinned one; carries both for the UI. */
export class HostKeyChangedError extends EdgeError {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly pinned: HostKeyIdentity,
    readonly offered: HostKeyIdentity | null
  ) {
    super(
      'HOST_KEY_CHANGED',
      `${host}:${port} (pinned ${pinned.algorithm} ${pinned.fingerprint}, ${offered ? `now ${offered.algorithm} ${offered.fingerprint}` : `no ${pinned.algorithm} key offered any more`})`
    )
  }
}

export function pinnedKey(store: HostKeyStore, host: string, port: number): HostKeyIdentity | null {
  const p = store.get(host, port)
  return p ? { algorithm: p.algorithm, fingerprint: p.fingerprint } : null
}

/**
 * Checks an offered key blob against the pin (pinning it when there is none). Returns the verdict
 * instead of throwing: it runs inside ssh2's callback, which reports failure by returning false.
 */
export function checkHostKey(
  store: HostKeyStore,
  host: string,
  port: number,
  blob: Buffer,
  now: () => number = Date.now
): { ok: true; check: HostKeyCheck } | { ok: false; error: HostKeyChangedError } {
  const offered = hostKeyIdentity(blob)
  const pinned = pinnedKey(store, host, port)
  if (!pinned) {
    store.pin({ host, port, ...offered, pinnedAt: now() })
    return { ok: true, check: { ...offered, pinnedNow: true } }
  }
  if (pinned.fingerprint === offered.fingerprint && pinned.algorithm === offered.algorithm) {
    return { ok: true, check: { ...offered, pinnedNow: false } }
  }
  return { ok: false, error: new HostKeyChangedError(host, port, pinned, offered) }
}
