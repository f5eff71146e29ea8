// The delta a push sends when the unit serves an earlier version of the same model and this computer
// still has that version's file: the new file as copies from the old one plus the bytes that changed,
// brotli-compressed, in Fossil's delta format with one addition (the unit applies it and says what
// it is: src/agent/apply-delta.ts).
//
// Matches are found by content-defined chunking (a gear hash, as FastCDC does): both files are cut
// where their content says, so a tensor that grew or shrank shifts its neighbours without changing
// their chunks; chunks of the new file whose sha1 the old one has become copies. One pass over each
// file and memory in proportion to the number of chunks: 0.3 s for a 45 MB model here, and an
// unrelated file costs no more than a related one (fossil-delta's own byte-by-byte matcher took
// 37 s and 1.6 GB on an unrelated 45 MB file).
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { brotliCompress, constants } from 'node:zlib'
import { DELTA_DIGITS } from '../../../shared/delta-format'

const MIN_CHUNK = 512
const AVG_CHUNK = 2 * 1024
const MAX_CHUNK = 16 * 1024
// The gear hash shifts left, so its top bits depend on the last 32 bytes. Normalised chunking
// (FastCDC): a stricter mask before the average size and a looser one after keep chunks near 2 KiB.
// Small chunks cost nothing on the link (consecutive copies merge into one) and shrink what an edit
// costs around it: on a head-only change of ResNet18, 8 KiB chunks sent 1.93 MB, 2 KiB 1.91 MB
// (bsdiff's patch: 1.98 MB).
const MASK_STRICT = 0xfff80000 >>> 0 // 13 bits
const MASK_LOOSE = 0xff800000 >>> 0 // 9 bits

const GEAR = (() => {
  // Fixed pseudo-random values (xorshift32), so the same file is always cut the same way.
  const table = new Uint32Array(256)
  let x = 0x9e3779b9
  for (let i = 0; i < 256; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    table[i] = x >>> 0
  }
  return table
})()

/** Chunk end offsets of `data` (the last one is its length). */
export function chunkEnds(data: Uint8Array): number[] {
  const ends: number[] = []
  let start = 0
  while (start < data.length) {
    const end = Math.min(data.length, start + MAX_CHUNK)
    const normal = Math.min(end, start + AVG_CHUNK)
    let h = 0
    let i = Math.min(end, start + MIN_CHUNK)
    let cut = end
    for (; i < normal; i++) {
      h = ((h << 1) + (GEAR[data[i] as number] as number)) >>> 0
      if ((h & MASK_STRICT) === 0) break
    }
    if (i < normal) cut = i + 1
    else {
      for (; i < end; i++) {
        h = ((h << 1) + (GEAR[data[i] as number] as number)) >>> 0
        if ((h & MASK_LOOSE) === 0) break
      }
      if (i < end) cut = i + 1
    }
    ends.push(cut)
    start = cut
  }
  return ends
}

const digest = (data: Uint8Array, from: number, to: number) => createHash('sha1').update(data.subarray(from, to)).digest('base64')

export interface Delta {
  /** The delta, brotli-compressed: what goes over the link. */
  bytes: Buffer
  /** Bytes of the new file taken from the old one. */
  copied: number
}

/** Target bytes [from, to): copied from the base at `at`, sent as they are, or sent as their difference from the base at `at`. */
interface Op {
  kind: 'copy' | 'literal' | 'diff'
  from: number
  to: number
  at: number
}

/** A literal run this long or longer that equals the base where an in-place edit would put it becomes a copy. */
const MIN_INNER_COPY = 32

/**
 * The delta that turns `base` into `target`, or null when less than `minShared` of the target is in
 * the base (compressing it would cost time and save nothing worth having).
 */
export async function makeDelta(base: Uint8Array, target: Uint8Array, minShared = 0): Promise<Delta | null> {
  const known = new Map<string, number>()
  let from = 0
  for (const end of chunkEnds(base)) {
    const key = `${end - from}:${digest(base, from, end)}`
    if (!known.has(key)) known.set(key, from)
    from = end
  }
  // Chunks found in the base become copies; between them, literals are compared byte by byte with
  // the base right after the previous copy. That is where an edit that kept the size (new weights
  // of a layer, a re-calibrated scale) left the old bytes, so only the bytes that differ are sent.
  const ops: Op[] = []
  let cursor = 0
  from = 0
  for (const end of chunkEnds(target)) {
    const at = known.get(`${end - from}:${digest(target, from, end)}`) ?? -1
    if (at >= 0) {
      ops.push({ kind: 'copy', from, to: end, at })
      cursor = at + (end - from)
    } else cursor = inPlace(base, target, from, end, cursor, ops)
    from = end
  }

  const parts: Buffer[] = [Buffer.from(`${b64(target.length)}\n`)]
  let copied = 0
  let diff: Buffer | null
  for (let i = 0; i < ops.length; ) {
    const op = ops[i] as Op
    let to = op.to
    // Merge what follows of the same kind: literals, or copies and diffs of consecutive base bytes.
    for (i++; i < ops.length; i++) {
      const next = ops[i] as Op
      if (next.kind !== op.kind || (op.kind !== 'literal' && next.at !== op.at + (to - op.from))) break
      to = next.to
    }
    const n = to - op.from
    if (op.kind === 'copy') {
      parts.push(Buffer.from(`${b64(n)}@${b64(op.at)},`))
      copied += n
    } else if (op.kind === 'diff' && (diff = difference(base, target, op.at, op.from, n))) {
      parts.push(Buffer.from(`${b64(n)}!${b64(op.at)},`), diff)
    } else parts.push(Buffer.from(`${b64(n)}:`), Buffer.from(target.buffer, target.byteOffset + op.from, n))
  }
  if (copied < minShared * target.length) return null
  parts.push(Buffer.from(`${b64(fossilChecksum(target))};`))
  return { bytes: await compress(Buffer.concat(parts)), copied }
}

/**
 * target - base (mod 256) over n bytes, or null when too few of them are zero for the difference to
 * compress better than the new bytes themselves (new weights, as opposed to adjusted ones).
 */
function difference(base: Uint8Array, target: Uint8Array, at: number, from: number, n: number): Buffer | null {
  const d = Buffer.allocUnsafe(n)
  let zeros = 0
  for (let k = 0; k < n; k++) {
    const v = ((target[from + k] as number) - (base[at + k] as number)) & 0xff
    d[k] = v
    if (v === 0) zeros++
  }
  return zeros * 4 >= n ? d : null
}

/** Ops for target [from, to) against the base from `cursor` on; returns where the base cursor ends. */
function inPlace(base: Uint8Array, target: Uint8Array, from: number, to: number, cursor: number, ops: Op[]): number {
  const shift = cursor - from
  const end = Math.min(to, base.length - shift)
  let diff = from
  let i = from
  while (i < end) {
    if (base[i + shift] !== target[i]) {
      i++
      continue
    }
    let j = i
    while (j < end && base[j + shift] === target[j]) j++
    if (j - i >= MIN_INNER_COPY) {
      if (i > diff) ops.push({ kind: 'diff', from: diff, to: i, at: diff + shift })
      ops.push({ kind: 'copy', from: i, to: j, at: i + shift })
      diff = j
    }
    i = j
  }
  if (end > diff) ops.push({ kind: 'diff', from: diff, to: end, at: diff + shift })
  if (to > Math.max(end, diff)) ops.push({ kind: 'literal', from: Math.max(end, from), to, at: -1 })
  return cursor + (to - from)
}

export interface DeltaFile {
  bytes: Buffer
  sha256: string
  /** Bytes of the target the unit copies from its base. */
  copied: number
}

/** The delta between two files; null when at least `maxShare` of the file would go anyway. */
export async function deltaBetween(baseFile: string, targetFile: string, maxShare = 0.8): Promise<DeltaFile | null> {
  const [base, target] = await Promise.all([readFile(baseFile), readFile(targetFile)])
  const d = await makeDelta(base, target, 1 - maxShare)
  if (!d || d.bytes.length >= maxShare * target.length) return null
  return { bytes: d.bytes, sha256: createHash('sha256').update(d.bytes).digest('hex'), copied: d.copied }
}

/**
 * deltaBetween made once per pair of files: a push to a fleet whose units serve the same version
 * computes one delta (half a second of the main thread and two reads of a 45 MB model), not one per
 * unit. Lives as long as the push job that holds it.
 */
export function sharedDeltas(): typeof deltaBetween {
  const made = new Map<string, Promise<DeltaFile | null>>()
  return (baseFile, targetFile, maxShare) => {
    const key = JSON.stringify([baseFile, targetFile, maxShare])
    let d = made.get(key)
    if (!d) {
      d = deltaBetween(baseFile, targetFile, maxShare)
      // A failure is not kept: the next unit tries again.
      d.catch(() => made.delete(key))
      made.set(key, d)
    }
    return d
  }
}

/**
 * Brotli, off the main thread (zlib's thread pool). Its best setting makes a re-calibrated INT8
 * ResNet18's delta 17 KB where gzip makes 21 KB and bsdiff 18 KB, but costs about 2 s per MB: a
 * large delta (mostly new bytes, which no setting shrinks much) gets a fast setting, so that making
 * it never takes longer than sending what the best setting would have saved.
 */
function compress(raw: Buffer): Promise<Buffer> {
  const quality = raw.length <= 1e6 ? 11 : 5
  return promisify(brotliCompress)(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } })
}

function b64(n: number): string {
  if (n === 0) return '0'
  let s = ''
  for (let v = n; v > 0; v = Math.floor(v / 64)) s = DELTA_DIGITS[v % 64] + s
  return s
}

/** Fossil's 32-bit checksum (big-endian word sum), so that Fossil's own tools accept the delta. */
function fossilChecksum(data: Uint8Array): number {
  let sum = 0
  const words = data.length >>> 2
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  for (let i = 0; i < words; i++) sum = (sum + view.getUint32(i * 4)) >>> 0
  const tail = data.length & 3
  if (tail) {
    let last = 0
    for (let k = 0; k < tail; k++) last |= (data[words * 4 + k] as number) << (24 - 8 * k)
    sum = (sum + (last >>> 0)) >>> 0
  }
  return sum
}
