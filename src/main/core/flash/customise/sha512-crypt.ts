// SHA-512 crypt (`$6$`), as glibc's crypt(3) computes it (Ulrich Drepper's "Unix crypt using
// SHA-256 and SHA-512" specification), so the hash goes into /etc/shadow (through userconf,
// chpasswd -e or cloud-init) without the password itself ever being written to the card.
import { createHash, randomBytes } from 'node:crypto'
import { FlashError } from '../flash-errors'

const ROUNDS_DEFAULT = 5000
const ROUNDS_MIN = 1000
const ROUNDS_MAX = 999_999_999
const SALT_MAX = 16
const B64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
// The spec's byte order for the final base-64 text: triples from the 64-byte digest.
const ORDER = [
  [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48], [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10],
  [53, 11, 32], [12, 33, 54], [34, 55, 13], [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41]
] as const

const sha512 = (...parts: Buffer[]) => {
  const h = createHash('sha512')
  for (const p of parts) h.update(p)
  return h.digest()
}

function repeatTo(digest: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length)
  for (let i = 0; i < length; i += 64) digest.copy(out, i, 0, Math.min(64, length - i))
  return out
}

function b64(value: number, chars: number): string {
  let s = ''
  for (let i = 0; i < chars; i++, value >>>= 6) s += B64[value & 0x3f]
  return s
}

/** A random salt of 16 characters from crypt's alphabet. */
export function randomCryptSalt(): string {
  return [...randomBytes(SALT_MAX)].map((b) => B64[b & 0x3f]).join('')
}

export function sha512Crypt(password: string, salt: string = randomCryptSalt(), rounds?: number): string {
  if (/[$:\n]/.test(salt)) throw new FlashError('FLASH_CUSTOMISE_INVALID', 'a crypt salt may not contain $, : or a line break')
  const custom = rounds !== undefined
  const r = Math.min(ROUNDS_MAX, Math.max(ROUNDS_MIN, rounds ?? ROUNDS_DEFAULT))
  const key = Buffer.from(password, 'utf8')
  const s = Buffer.from(salt.slice(0, SALT_MAX), 'utf8')

  const b = sha512(key, s, key)
  const a = createHash('sha512').update(key).update(s).update(repeatTo(b, key.length))
  for (let n = key.length; n > 0; n >>= 1) a.update(n & 1 ? b : key)
  const aDigest = a.digest()

  const dpHash = createHash('sha512')
  for (let i = 0; i < key.length; i++) dpHash.update(key)
  const p = repeatTo(dpHash.digest(), key.length)

  const dsHash = createHash('sha512')
  for (let i = 0; i < 16 + aDigest[0]!; i++) dsHash.update(s)
  const sBytes = repeatTo(dsHash.digest(), s.length)

  let c = aDigest
  for (let i = 0; i < r; i++) {
    const h = createHash('sha512')
    h.update(i & 1 ? p : c)
    if (i % 3 !== 0) h.update(sBytes)
    if (i % 7 !== 0) h.update(p)
    h.update(i & 1 ? c : p)
    c = h.digest()
  }

  let text = ''
  for (const [x, y, z] of ORDER) text += b64((c[x]! << 16) | (c[y]! << 8) | c[z]!, 4)
  text += b64(c[63]!, 2)
  return `$6$${custom ? `rounds=${r}$` : ''}${s.toString('utf8')}$${text}`
}

/** A `$6$` hash as crypt(3) writes it; anything else is refused rather than passed to the unit. */
export function isSha512CryptHash(value: string): boolean {
  return /^\$6\$(rounds=[1-9][0-9]{3,8}\$)?[./0-9A-Za-z]{1,16}\$[./0-9A-Za-z]{86}$/.test(value)
}
