// Reads the key a unit offers without logging in: the verifier records it and refuses, so the
// connection ends inside the key exchange and no user name, password or key is ever sent.
import type ssh2Module from 'ssh2'
import { lazyPackage } from '../lazy-package'

const ssh2 = lazyPackage<typeof ssh2Module>('ssh2')
import { EdgeError } from '../../../shared/errors'
import { hostKeyIdentity, type HostKeyIdentity } from './host-key'
import { sshError } from './ssh-errors'

export function readHostKey(host: string, port: number, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<HostKeyIdentity> {
  const where = `${host}:${port}`
  return new Promise((resolve, reject) => {
    opts.signal?.throwIfAborted()
    const client = new (ssh2().Client)()
    let seen: HostKeyIdentity | null = null
    let settled = false
    const finish = (err: unknown) => {
      if (settled) return
      settled = true
      opts.signal?.removeEventListener('abort', onAbort)
      client.destroy()
      if (seen) resolve(seen)
      else reject(err instanceof EdgeError ? err : sshError(err, where, 'connect'))
    }
    const onAbort = () => finish(opts.signal?.reason)
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    client.on('error', finish)
    client.on('close', () => finish(new EdgeError('SSH_LINK_LOST', where)))
    client.on('ready', () => finish(new EdgeError('INTERNAL', `${where} let a login through without credentials`)))
    client.connect({
      host,
      port,
      // Never used: the verifier refuses before authentication starts.
      username: 'edgedock-host-key-scan',
      readyTimeout: opts.timeoutMs ?? 15_000,
      hostVerifier: (key: Buffer) => {
        seen = hostKeyIdentity(key)
        return false
      }
    })
  })
}
