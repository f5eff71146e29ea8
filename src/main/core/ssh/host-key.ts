// Host key identity as OpenSSH shows it: `SHA256:` + unpadded base64 of the SHA-256 of the key blob
// (what `ssh-keygen -lf` and the "authenticity of host" prompt print), so a technician can compare
// it with the unit's own `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`.
import { createHash } from 'node:crypto'

export interface HostKeyIdentity {
  /** The key type inside the blob: ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa. */
  algorithm: string
  fingerprint: string
}

export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`
}

/** The first field of an SSH public key blob is its type (RFC 4253 6.6): uint32 length + name. */
export function keyAlgorithm(blob: Buffer): string {
  if (blob.length < 4) return 'unknown'
  const len = blob.readUInt32BE(0)
  if (len <= 0 || len > 64 || blob.length < 4 + len) return 'unknown'
  return blob.subarray(4, 4 + len).toString('latin1')
}

export function hostKeyIdentity(blob: Buffer): HostKeyIdentity {
  return { algorithm: keyAlgorithm(blob), fingerprint: sha256Fingerprint(blob) }
}

/**
 * The host key algorithms to ask for once a key is pinned: only the pinned type, so a server with
 * several host keys is always checked against the same one (an RSA key is signed with SHA-2).
 */
export function hostKeyAlgorithmsFor(pinnedType: string): string[] {
  return pinnedType === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [pinnedType]
}
