// A unit's ed25519 host key, made here before its first boot so EdgeDock can pin the key before the
// card leaves the writer. Built with node:crypto and encoded as OpenSSH's own files
// (PROTOCOL.key, unencrypted) rather than through ssh2, whose generateKeyPairSync drops a leading
// zero byte of some ed25519 keys (see edgedock-identity.ts): a malformed host key would leave sshd
// without its key on the unit, where nobody can retry.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { hostKeyIdentity, type HostKeyIdentity } from './host-key'

export interface GeneratedHostKey extends HostKeyIdentity {
  /** `-----BEGIN OPENSSH PRIVATE KEY-----` text for /etc/ssh/ssh_host_ed25519_key (mode 600). */
  privateKey: string
  /** `ssh-ed25519 AAAA… comment` for /etc/ssh/ssh_host_ed25519_key.pub (mode 644). */
  publicKey: string
}

const sshString = (b: Buffer | string) => {
  const body = typeof b === 'string' ? Buffer.from(b) : b
  const len = Buffer.alloc(4)
  len.writeUInt32BE(body.length)
  return Buffer.concat([len, body])
}
const uint32 = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n >>> 0)
  return b
}

export function generateEd25519HostKey(comment = ''): GeneratedHostKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url')
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url')
  const blob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)])
  const check = randomBytes(4).readUInt32BE(0)
  let secret = Buffer.concat([uint32(check), uint32(check), sshString('ssh-ed25519'), sshString(pub), sshString(Buffer.concat([seed, pub])), sshString(comment)])
  // Padded with 1, 2, 3, … to the cipher block size, 8 for "none".
  const padLen = (8 - (secret.length % 8)) % 8
  secret = Buffer.concat([secret, Buffer.from(Array.from({ length: padLen }, (_, i) => i + 1))])
  const file = Buffer.concat([Buffer.from('openssh-key-v1\0'), sshString('none'), sshString('none'), sshString(''), uint32(1), sshString(blob), sshString(secret)])
  const lines = file.toString('base64').match(/.{1,70}/g)!
  const text = `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`
  return { ...hostKeyIdentity(blob), privateKey: text, publicKey: `ssh-ed25519 ${blob.toString('base64')}${comment ? ` ${comment}` : ''}` }
}
