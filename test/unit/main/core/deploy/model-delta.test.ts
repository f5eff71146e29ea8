// Deltas between model versions: what the desktop makes (core/deploy/model-delta.ts) and what the
// agent applies on the unit (agent/apply-delta.ts). The format is Fossil's, so Fossil's own applier
// (the fossil-delta package, a test dependency only) must rebuild the same file from it.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { brotliCompressSync as pack, brotliDecompressSync as unpack } from 'node:zlib'
import { applyDelta as fossilApply } from 'fossil-delta'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applyDelta, DeltaError } from '../../../../../src/agent/apply-delta'
import { makeDelta, sharedDeltas } from '../../../../../src/main/core/deploy/model-delta'
import { tempDir } from '../../../../helpers/temp-dir'

let files: ReturnType<typeof tempDir>
beforeEach(() => {
  files = tempDir('edgedock-delta-')
})
afterEach(() => files.cleanup())

/** Seeded noise (weights look like noise to a chunker): the same bytes on every run. */
function randomBytes(n: number, seed = n): Buffer {
  const out = Buffer.alloc(n)
  let x = seed | 1
  for (let i = 0; i < n; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')
/** A 1 MiB "model" with a 64 KiB "head" at the end, as a fine-tune changes it. */
const base = randomBytes(1 << 20)
const headChanged = Buffer.concat([base.subarray(0, base.length - 65536), randomBytes(65536, 3)])

function applyOnUnit(from: Uint8Array, delta: Buffer, expected: string) {
  const b = path.join(files.dir, 'base.onnx')
  const d = path.join(files.dir, 'model.delta.br')
  const out = path.join(files.dir, 'out.onnx')
  writeFileSync(b, from)
  writeFileSync(d, delta)
  const size = applyDelta({ base: b, delta: d, out, sha256: expected })
  return { size, bytes: readFileSync(out) }
}

describe('a model delta', () => {
  it('sends only the changed head (plus the chunk boundaries around it) and rebuilds the file exactly', async () => {
    const d = await makeDelta(base, headChanged)
    expect(d).not.toBeNull()
    expect(d!.bytes.length).toBeLessThan(65536 * 1.2)
    expect(d!.copied).toBeGreaterThan(base.length - 65536 * 1.2)
    const r = applyOnUnit(base, d!.bytes, sha(headChanged))
    expect(r.size).toBe(headChanged.length)
    expect(r.bytes.equals(headChanged)).toBe(true)
    // Fossil's reference applier, with its checksum check, agrees.
    expect(Buffer.from(fossilApply(base, unpack(d!.bytes))).equals(headChanged)).toBe(true)
  })

  it('still finds the rest when a tensor grew in the middle and shifted everything after it', async () => {
    const grown = Buffer.concat([base.subarray(0, 300_000), randomBytes(5000, 5), base.subarray(300_000)])
    const d = (await makeDelta(base, grown))!
    // The 5 KB that are new and the few chunks (about 9 KiB each) the insertion cut differently.
    expect(d.bytes.length).toBeLessThan(50_000)
    expect(d.copied).toBeGreaterThan(base.length - 50_000)
    expect(applyOnUnit(base, d.bytes, sha(grown)).bytes.equals(grown)).toBe(true)
  })

  it('sends an adjusted tensor (the same values, slightly changed: a re-calibration) as its difference, smaller than its new bytes', async () => {
    const floats = new Float32Array(base.buffer.slice(0), 0, base.length / 4)
    const adjusted = Float32Array.from(floats, (v, i) => (i >= 100_000 && i < 110_000 && Number.isFinite(v) ? v * 1.0001 : v))
    const target = Buffer.from(adjusted.buffer)
    const d = (await makeDelta(base, target))!
    expect(unpack(d.bytes).includes('!')).toBe(true)
    // The 40 KB region that changed goes as differences that are mostly zero.
    expect(d.bytes.length).toBeLessThan(30_000)
    expect(applyOnUnit(base, d.bytes, sha(target)).bytes.equals(target)).toBe(true)
  })

  it('is not made for an unrelated file, which goes whole', async () => {
    expect(await makeDelta(base, randomBytes(base.length, 7), 0.2)).toBeNull()
  })

  it('of an identical file is a few bytes', async () => {
    const d = (await makeDelta(base, base))!
    expect(d.bytes.length).toBeLessThan(100)
    expect(applyOnUnit(base, d.bytes, sha(base)).bytes.equals(base)).toBe(true)
  })
})

describe('applying a delta on the unit', () => {
  it('refuses a result whose sha256 is not the expected one (a damaged base) and leaves no file behind', async () => {
    const d = (await makeDelta(base, headChanged))!
    const damaged = Buffer.from(base)
    damaged[1000] = (damaged[1000] as number) ^ 0xff
    let err: unknown
    try {
      applyOnUnit(damaged, d.bytes, sha(headChanged))
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(DeltaError)
    expect((err as Error).message).toMatch(/the base on the unit differs from the one the delta was made against/)
    expect(existsSync(path.join(files.dir, 'out.onnx'))).toBe(false)
  })

  it('says plainly that a file is not a delta, and writes nothing', () => {
    for (const bad of [Buffer.from('not compressed at all'), pack('hello'), pack('99\n5@0,'), pack('5\n9:abc'), pack(`${'z'.repeat(3)}\n3@999999999,`), pack('3\n3!0,a')]) {
      expect(() => applyOnUnit(base, bad, sha(headChanged))).toThrow(DeltaError)
      expect(existsSync(path.join(files.dir, 'out.onnx'))).toBe(false)
    }
  })

  it('refuses a base shorter than the delta needs', async () => {
    const d = (await makeDelta(base, headChanged))!
    expect(() => applyOnUnit(base.subarray(0, 1000), d.bytes, sha(headChanged))).toThrow(/shorter than the one the delta was made against/)
  })
})

describe('sharedDeltas', () => {
  it('makes the delta of a pair of files once for all the units of a push, and tries again after a failure', async () => {
    const base = path.join(files.dir, 'base.onnx')
    const next = path.join(files.dir, 'next.onnx')
    const other = path.join(files.dir, 'other.onnx')
    const old = randomBytes(300_000)
    writeFileSync(base, old)
    const changed = Buffer.from(old)
    changed.fill(7, 1000, 2000)
    writeFileSync(next, changed)
    const deltas = sharedDeltas()
    const [a, b] = await Promise.all([deltas(base, next), deltas(base, next)])
    expect(a).not.toBeNull()
    expect(b).toBe(a)
    // Another base is another delta.
    writeFileSync(other, randomBytes(300_000, 99))
    expect(await deltas(other, next)).not.toBe(a)

    const missing = path.join(files.dir, 'later.onnx')
    await expect(deltas(missing, next)).rejects.toThrow(/ENOENT/)
    writeFileSync(missing, old)
    expect((await deltas(missing, next))?.bytes).toEqual(a?.bytes)
  })
})
