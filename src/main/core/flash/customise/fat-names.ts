// FAT names: the 11-byte 8.3 short name every entry has, and the VFAT long name stored before it in
// entries of 13 UTF-16 units each. Linux, Windows and the Pi's firmware all read the short entry;
// the long one is only trusted while its checksum matches the short name after it.
import { FlashError } from '../flash-errors'

export const ENTRY_BYTES = 32
export const ATTR_READ_ONLY = 0x01
export const ATTR_HIDDEN = 0x02
export const ATTR_SYSTEM = 0x04
export const ATTR_VOLUME = 0x08
export const ATTR_DIRECTORY = 0x10
export const ATTR_ARCHIVE = 0x20
export const ATTR_LFN = 0x0f
/** Byte 12 of a short entry (NT flags): the base or the extension is shown in lower case. */
const NT_LOWER_BASE = 0x08
const NT_LOWER_EXT = 0x10
const LFN_UNITS = 13
// UTF-16 positions inside an LFN entry: 5 + 6 + 2 units.
const LFN_OFFSETS = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30]

// Characters a short name may hold as they are (ASCII only: no code page is assumed).
const SHORT_CHAR = /^[A-Z0-9!#$%&'()@^_`{}~-]$/
// Characters no FAT long name may hold.
const FORBIDDEN_LONG = /[\\/:*?"<>|]/
const hasControl = (v: string) => [...v].some((c) => c.charCodeAt(0) < 0x20)

export function lfnChecksum(short: Buffer): number {
  let sum = 0
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + short[i]!) & 0xff
  return sum
}

export function assertValidLongName(name: string): void {
  if (name.length === 0 || name.length > 255 || FORBIDDEN_LONG.test(name) || hasControl(name) || name === '.' || name === '..' || /[ .]$/.test(name) || /[\uD800-\uDFFF]/u.test(name)) {
    throw new FlashError('FLASH_CUSTOMISE_INVALID', `${JSON.stringify(name)} is not a name a FAT file may have`)
  }
}

/** Short name bytes shown as `NAME.EXT`, with the NT lower-case flags applied. */
export function shortNameText(raw: Buffer, nt: number): string {
  let base = raw.subarray(0, 8).toString('latin1').replace(/ +$/, '')
  let ext = raw.subarray(8, 11).toString('latin1').replace(/ +$/, '')
  if (base.startsWith('\u0005')) base = `\u00e5${base.slice(1)}`
  if (nt & NT_LOWER_BASE) base = base.toLowerCase()
  if (nt & NT_LOWER_EXT) ext = ext.toLowerCase()
  return ext ? `${base}.${ext}` : base
}

export interface ShortName {
  raw: Buffer
  nt: number
  /** False when the short entry already says it all (an 8.3 name, one case per part). */
  needsLfn: boolean
}

function splitName(name: string): { base: string; ext: string } {
  const dot = name.lastIndexOf('.')
  return dot > 0 ? { base: name.slice(0, dot), ext: name.slice(dot + 1) } : { base: name, ext: '' }
}

function pad(base: string, ext: string): Buffer {
  return Buffer.from(base.padEnd(8, ' ') + ext.padEnd(3, ' '), 'latin1')
}

const oneCase = (s: string) => s === s.toUpperCase() || s === s.toLowerCase()

/**
 * The short name for `name` in a directory whose short names are `taken` (upper case, as stored):
 * the name itself when it is a plain 8.3 name, otherwise a basis name with a `~N` tail, the way
 * Windows and Linux make them, so `user-data` becomes `USER-D~1`.
 */
export function makeShortName(name: string, taken: ReadonlySet<string>): ShortName {
  const { base, ext } = splitName(name)
  const upper = (s: string) => s.toUpperCase()
  const plain =
    base.length >= 1 && base.length <= 8 && ext.length <= 3 && name.indexOf('.') === name.lastIndexOf('.') && [...upper(base) + upper(ext)].every((c) => SHORT_CHAR.test(c)) && oneCase(base) && oneCase(ext)
  if (plain) {
    const raw = pad(upper(base), upper(ext))
    const nt = (base !== upper(base) ? NT_LOWER_BASE : 0) | (ext !== upper(ext) ? NT_LOWER_EXT : 0)
    if (!taken.has(raw.toString('latin1'))) return { raw, nt, needsLfn: false }
  }
  const clean = (s: string) =>
    [...upper(s).replace(/[ .]/g, '')]
      .map((c) => (SHORT_CHAR.test(c) ? c : '_'))
      .join('')
  const basis = clean(base.replace(/^\.+/, '')) || '_'
  const basisExt = clean(ext).slice(0, 3)
  for (let n = 1; n < 1_000_000; n++) {
    const tail = `~${n}`
    const raw = pad(basis.slice(0, 8 - tail.length) + tail, basisExt)
    if (!taken.has(raw.toString('latin1'))) return { raw, nt: 0, needsLfn: true }
  }
  throw new FlashError('FLASH_BOOT_FAT_FULL', `no free short name for ${name}`)
}

/** The LFN entries for `name`, in the order they are stored (highest sequence number first). */
export function lfnEntries(name: string, short: Buffer): Buffer[] {
  const units: number[] = []
  for (let i = 0; i < name.length; i++) units.push(name.charCodeAt(i))
  const count = Math.ceil(units.length / LFN_UNITS)
  // The last part ends with a NUL unit when it has room, then 0xFFFF padding.
  if (units.length % LFN_UNITS !== 0) units.push(0)
  while (units.length < count * LFN_UNITS) units.push(0xffff)
  const sum = lfnChecksum(short)
  const out: Buffer[] = []
  for (let seq = count; seq >= 1; seq--) {
    const e = Buffer.alloc(ENTRY_BYTES)
    e[0] = seq === count ? seq | 0x40 : seq
    e[11] = ATTR_LFN
    e[13] = sum
    for (let k = 0; k < LFN_UNITS; k++) e.writeUInt16LE(units[(seq - 1) * LFN_UNITS + k]!, LFN_OFFSETS[k]!)
    out.push(e)
  }
  return out
}

/** One LFN entry's part of the name: its sequence number and the units up to the NUL. */
export function lfnPart(entry: Buffer): { seq: number; last: boolean; checksum: number; text: string } {
  let text = ''
  for (const at of LFN_OFFSETS) {
    const u = entry.readUInt16LE(at)
    if (u === 0) break
    text += String.fromCharCode(u)
  }
  return { seq: entry[0]! & 0x3f, last: (entry[0]! & 0x40) !== 0, checksum: entry[13]!, text }
}

/** FAT keeps local time in 2-second steps from 1980. */
export function dosDateTime(ms: number): { date: number; time: number } {
  const d = new Date(ms)
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107)
  return {
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1)
  }
}
