// Opens one node-ssh connection to a unit: keepalive, ciphers a Pi decrypts cheaply, the host key
// checked against its pin inside the key exchange (before any password or key is offered), and the
// key tried before the password.
import type { Config, NodeSSH } from 'node-ssh'
import { lazyPackage } from '../lazy-package'
import type { CipherAlgorithm, KeyboardInteractiveAuthMethod, PasswordAuthMethod, PublicKeyAuthMethod, ServerHostKeyAlgorithm } from 'ssh2'
import { hostKeyAlgorithmsFor } from './host-key'
import { checkHostKey, HostKeyChangedError, pinnedKey, type HostKeyCheck } from './host-key-pinning'
import { sshError } from './ssh-errors'
import { SSH_DEFAULTS, type SshCredentials, type SshSessionOptions, type SshTarget } from './ssh-types'

const nodeSsh = lazyPackage<typeof import('node-ssh')>('node-ssh')

// The unit decrypts every byte we send it. ssh2 orders ciphers by this computer's CPU (AES-GCM first
// where it has AES-NI); a Pi 4's Cortex-A72 has no ARMv8 crypto extensions, so there ChaCha20 is
// several times cheaper than AES, and OpenSSH puts it first too. Into a lab Pi: 46.7 MB in 6.7-6.9 s
// with ChaCha20-Poly1305 against 6.9-7.0 s with AES-128-GCM (emulated AES-NI narrows the gap).
const UNIT_CIPHERS: CipherAlgorithm[] = ['chacha20-poly1305@openssh.com', 'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr']

export interface ConnectRequest {
  target: Required<SshTarget>
  credentials: SshCredentials
  options: SshSessionOptions
  where: string
  secrets: readonly string[]
  signal: AbortSignal | undefined
  timeoutMs: number
}

export interface Connected {
  ssh: NodeSSH
  hostCheck: HostKeyCheck
}

/**
 * Key first: with both, the password goes out only while the unit does not know the key yet (first
 * contact), never once the key is installed (ssh2's default tries the password first). Objects, not
 * names: ssh2's config holds one key, and the identity rides along with ours.
 */
function authMethods(username: string, credentials: SshCredentials): (PublicKeyAuthMethod | PasswordAuthMethod | KeyboardInteractiveAuthMethod)[] {
  const { identity, privateKey, passphrase, password } = credentials
  const methods: (PublicKeyAuthMethod | PasswordAuthMethod | KeyboardInteractiveAuthMethod)[] = []
  const key = (k: string, p: string | undefined): PublicKeyAuthMethod => ({ type: 'publickey', username, key: k, ...(p !== undefined ? { passphrase: p } : {}) })
  if (identity) methods.push(key(identity.privateKey, identity.passphrase))
  if (privateKey) methods.push(key(privateKey, passphrase))
  if (password) {
    methods.push({ type: 'password', username, password })
    // Answers a password prompt with the password, as node-ssh's tryKeyboard does.
    const keyboard: KeyboardInteractiveAuthMethod = {
      type: 'keyboard-interactive',
      username,
      prompt: (_name, _instructions, _lang, prompts, finish) => {
        if (prompts.length > 0 && prompts[0]?.prompt.toLowerCase().includes('password')) finish([password])
      }
    }
    methods.push(keyboard)
  }
  return methods
}

export async function connectToUnit(req: ConnectRequest): Promise<Connected> {
  const { target, credentials, options, where, secrets, signal, timeoutMs } = req
  signal?.throwIfAborted()
  const { host, port, username } = target
  const pinned = pinnedKey(options.hostKeys, host, port)
  let refusal: HostKeyChangedError | null = null
  let check: HostKeyCheck | null = null
  const ssh = new (nodeSsh().NodeSSH)()
  const serverHostKey = pinned ? (hostKeyAlgorithmsFor(pinned.algorithm) as ServerHostKeyAlgorithm[]) : undefined
  const config: Config = {
    host,
    port,
    username,
    readyTimeout: timeoutMs,
    keepaliveInterval: options.keepaliveIntervalMs ?? SSH_DEFAULTS.keepaliveIntervalMs,
    keepaliveCountMax: options.keepaliveCountMax ?? SSH_DEFAULTS.keepaliveCountMax,
    // Runs during key exchange, before any user-auth request: a refused key means nothing is offered.
    hostVerifier: (key: Buffer) => {
      const verdict = checkHostKey(options.hostKeys, host, port, key)
      if (verdict.ok) check = verdict.check
      else refusal = verdict.error
      return verdict.ok
    },
    algorithms: { cipher: UNIT_CIPHERS, ...(serverHostKey ? { serverHostKey } : {}) },
    ...(credentials.privateKey ? { privateKey: credentials.privateKey, passphrase: credentials.passphrase } : {}),
    ...(credentials.password ? { password: credentials.password, tryKeyboard: true } : {}),
    authHandler: authMethods(username, credentials)
  }
  const onAbort = () => ssh.connection?.destroy()
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    await ssh.connect(config)
  } catch (err) {
    ssh.connection?.destroy()
    if (signal?.aborted) throw signal.reason
    if (refusal) throw refusal
    if (pinned && /no matching host key/i.test(String((err as Error)?.message))) throw new HostKeyChangedError(host, port, pinned, null)
    throw sshError(err, where, 'connect', [...secrets])
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
  const hostCheck = check as HostKeyCheck | null
  if (!hostCheck) {
    ssh.dispose()
    throw sshError(new Error('the host key was not checked'), where, 'connect', [...secrets])
  }
  const { algorithm, fingerprint, pinnedNow } = hostCheck
  options.log?.('info', `Connected to ${username}@${where}; host key ${algorithm} ${fingerprint}${pinnedNow ? ' (first contact: pinned now)' : ' (matches the pinned key)'}`)
  return { ssh, hostCheck }
}
