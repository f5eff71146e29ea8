// What the composition root builds once: EdgeDock's own key (made on first use), sessions that pin
// host keys in the store, and the explicit re-pin action. Electron passes a keychain-backed box; the
// station and the CLI use the key-file box by default.
import path from 'node:path'
import { authorizedKeys, loadOrCreateIdentity, type EdgeDockIdentity } from './edgedock-identity'
import { fileSecretBox } from './file-secret-box'
import type { HostKeyStore } from './host-key-pinning'
import { readHostKey } from './read-host-key'
import { repinHostKey, type RepinDeps, type RepinOptions, type RepinResult } from './repin-host-key'
import type { SecretBox } from './secret-box'
import { openSshSession, type SshCredentials, type SshSession, type SshSessionOptions, type SshTarget } from './ssh-session'

export interface SshServiceDeps {
  dataDir: string
  hostKeys: HostKeyStore
  history: RepinDeps['history']
  /** Defaults to the key-file box (`<dataDir>/ssh/secret.key`). */
  secretBox?: SecretBox
}

export function createSshService(deps: SshServiceDeps) {
  const keyDir = path.join(deps.dataDir, 'ssh')
  const box = deps.secretBox ?? fileSecretBox(path.join(keyDir, 'secret.key'))
  let identity: EdgeDockIdentity | null = null
  const own = () => (identity ??= loadOrCreateIdentity(keyDir, box))
  return {
    /** EdgeDock's own key pair (created on first call). */
    identity: (): EdgeDockIdentity => own(),
    /** Every EdgeDock public key (desktop and CLI/station each have one) for authorized_keys. */
    authorizedKeys: (): string[] => {
      own()
      return authorizedKeys(keyDir)
    },
    /**
     * A session to a unit with EdgeDock's own key, plus a password for first contact (pass
     * `jobSshOptions(ctx)` so the password is a registered secret and never reaches the job log).
     */
    open: (target: SshTarget, credentials: SshCredentials | null, options: Omit<SshSessionOptions, 'hostKeys'> = {}): Promise<SshSession> =>
      // EdgeDock's key always rides along (tried first), so after a first contact by password the
      // session can reconnect once the profile has installed the key and turned passwords off.
      openSshSession(target, { privateKey: own().privateKey, ...credentials }, {
        ...options,
        hostKeys: deps.hostKeys
      }),
    readHostKey,
    repinHostKey: (host: string, port: number, opts?: RepinOptions): Promise<RepinResult> =>
      repinHostKey({ hostKeys: deps.hostKeys, history: deps.history }, host, port, opts)
  }
}
export type SshService = ReturnType<typeof createSshService>
