// The port through which EdgeDock's own private key is kept encrypted at rest. The desktop app seals
// with the OS keychain (Electron safeStorage); the station and the CLI with a key file. Each sealed
// blob starts with the box's kind, so opening it with the wrong box fails in plain words.
import { EdgeError } from '../../../shared/errors'

export interface SecretBox {
  /** Short name written into every sealed blob and into the identity's file name. */
  readonly kind: string
  seal(plain: Buffer): Buffer
  open(sealed: Buffer): Buffer
}

const MAGIC = 'edgedock-sealed-v1'

export function frame(kind: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${MAGIC} ${kind}\n`, 'latin1'), body])
}

export function unframe(kind: string, sealed: Buffer, where: string): Buffer {
  const nl = sealed.indexOf(0x0a)
  const header = nl > 0 ? sealed.subarray(0, nl).toString('latin1') : ''
  if (!header.startsWith(`${MAGIC} `)) throw new EdgeError('SSH_IDENTITY_UNREADABLE', `${where} is not a sealed EdgeDock file`)
  const found = header.slice(MAGIC.length + 1)
  if (found !== kind) throw new EdgeError('SSH_IDENTITY_UNREADABLE', `${where} was sealed by "${found}", this EdgeDock opens "${kind}"`)
  return sealed.subarray(nl + 1)
}
