// `edgedock-agent apply-delta`: builds a model file on the unit from a version it already holds and a
// brotli-compressed delta (made by the desktop: src/main/core/deploy/model-delta.ts). The format is
// Fossil's (a base-64 target size, then `N@OFFSET,` copies from the base and `N:` literal bytes,
// ending in `CHECKSUM;`) plus one command of bsdiff's kind, `N!OFFSET,` and N bytes to add (mod 256)
// to the base's bytes at OFFSET: a re-calibrated scale keeps its sign and exponent, so its
// difference is mostly zeros and compresses where the new bytes themselves would not.
//
// Streaming, so memory is the delta plus one 1 MiB buffer whatever the model's size (fossil-delta's
// own applier builds the output in a JavaScript array, about 8 bytes per byte: 400 MB for a 45 MB
// model on a board that may have 512 MB). Fossil's 32-bit checksum is not checked: the sha256 of
// the result is, the stronger test. A push checks it with `sha256sum` after the apply, as it checks a
// file that came whole; `--sha256` checks it here too, at a cost (Node's sha256 of a 47 MB model took
// 2.3 s of a 3.8 s apply on the lab's emulated CPU, sha256sum 0.7 s).
import { createHash } from 'node:crypto'
import { closeSync, fsyncSync, openSync, readFileSync, readSync, unlinkSync, writeSync } from 'node:fs'
import { brotliDecompressSync } from 'node:zlib'
import { DELTA_DIGITS } from '../shared/delta-format'

export class DeltaError extends Error {
  override readonly name = 'DeltaError'
}

export interface ApplyDeltaInput {
  base: string
  delta: string
  out: string
  /** When given, the result must have it (else DeltaError, and no file). */
  sha256?: string | undefined
}

const VALUE = new Int8Array(128).fill(-1)
for (let i = 0; i < DELTA_DIGITS.length; i++) VALUE[DELTA_DIGITS.charCodeAt(i)] = i
const PIECE = 1 << 20

/** Writes `out` (which must not exist) and returns its size; on any problem `out` is removed and a DeltaError says why. */
export function applyDelta(input: ApplyDeltaInput): number {
  if (input.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(input.sha256)) throw new DeltaError(`--sha256 must be 64 hex digits, not "${input.sha256}"`)
  let delta: Buffer
  try {
    delta = brotliDecompressSync(readFileSync(input.delta))
  } catch (err) {
    throw new DeltaError(`the delta ${input.delta} cannot be read: ${(err as Error).message}`)
  }
  const base = openSync(input.base, 'r')
  try {
    const out = openSync(input.out, 'wx', 0o644)
    let kept = false
    try {
      const size = writeTarget(delta, base, out, input.sha256)
      fsyncSync(out)
      kept = true
      return size
    } finally {
      closeSync(out)
      if (!kept) unlinkSync(input.out)
    }
  } finally {
    closeSync(base)
  }
}

function writeTarget(delta: Buffer, base: number, out: number, sha256: string | undefined): number {
  let pos = 0
  const int = (): number => {
    let v = 0
    let digits = 0
    for (; pos < delta.length; pos++, digits++) {
      const c = VALUE[(delta[pos] as number) & 0x7f] as number
      if (c < 0) break
      v = v * 64 + c
    }
    if (digits === 0) throw new DeltaError(`not a delta: a number was expected at byte ${pos}`)
    return v
  }
  const char = (): string => {
    if (pos >= delta.length) throw new DeltaError('the delta ends too early')
    return String.fromCharCode(delta[pos++] as number)
  }

  const limit = int()
  if (char() !== '\n') throw new DeltaError('not a delta: its size line does not end')
  const hash = sha256 === undefined ? null : createHash('sha256')
  const buf = Buffer.allocUnsafe(PIECE)
  let total = 0
  const emit = (bytes: Buffer) => {
    writeSync(out, bytes)
    hash?.update(bytes)
  }
  /** `count` bytes of the base from `offset`, with the delta's next `count` bytes added when `adjusted`. */
  const fromBase = (offset: number, count: number, adjusted: boolean) => {
    for (let done = 0; done < count; ) {
      const n = readSync(base, buf, 0, Math.min(count - done, PIECE), offset + done)
      if (n === 0) throw new DeltaError('the base on the unit is shorter than the one the delta was made against')
      if (adjusted) {
        for (let k = 0; k < n; k++) buf[k] = ((buf[k] as number) + (delta[pos + k] as number)) & 0xff
        pos += n
      }
      emit(buf.subarray(0, n))
      done += n
    }
  }
  while (pos < delta.length) {
    const count = int()
    const op = char()
    if (op === ';') {
      if (total !== limit) throw new DeltaError(`the delta makes ${total} bytes, not the ${limit} it says`)
      const got = hash?.digest('hex')
      if (hash && got !== sha256) throw new DeltaError(`the result's sha256 is ${got}, not ${sha256}: the base on the unit differs from the one the delta was made against`)
      return total
    }
    total += count
    if (total > limit) throw new DeltaError('the delta makes more bytes than it says')
    if (op === '@' || op === '!') {
      const offset = int()
      // Fossil lets a copy that ends the delta go without its comma.
      if ((op === '!' || pos < delta.length) && char() !== ',') throw new DeltaError(`not a delta: a ${op === '@' ? 'copy' : 'difference'} does not end with ","`)
      if (op === '!' && pos + count > delta.length) throw new DeltaError('the delta ends inside a difference')
      fromBase(offset, count, op === '!')
    } else if (op === ':') {
      if (pos + count > delta.length) throw new DeltaError('the delta ends inside its literal bytes')
      emit(delta.subarray(pos, pos + count))
      pos += count
    } else {
      throw new DeltaError(`not a delta: unknown command "${op}"`)
    }
  }
  throw new DeltaError('the delta ends without its final checksum')
}
