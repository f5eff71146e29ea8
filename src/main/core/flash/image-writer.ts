// One read of the source feeds every target. The first 4 KiB (partition table) is zeroed first and
// written last, after everything else is on the card and the source hash checked: a cancelled,
// failed or mismatching write leaves a card that does not look bootable.
import { createHash } from 'node:crypto'
import { open, readFile } from 'node:fs/promises'
import { RateMeter } from '../jobs/rate-meter'
import { looksLikeDiskImage, type SourceFormat } from './detect-format'
import { usedRangesOfRawImage } from './ext4-used-ranges'
import { FlashError, flashErrorInfo, targetIoError, type FlashErrorInfo } from './flash-errors'
import { openImageSource, type ImageSource } from './open-source'
import { rechunk } from './rechunk'
import { checkTarget, type SafetyPorts, type TargetKind } from './target-safety'
import { systemTargetIo, type TargetHandle, type TargetIo } from './target-io'
import { intersect, normalizeRanges, parseBmap, rangesBytes, type ByteRange } from './write-ranges'

export const CHUNK_BYTES = 4 * 1024 * 1024
export const HEAD_BYTES = 4096

export interface FlashRequest {
  source: string
  targets: string[]
  /** SHA-256 (hex) the source file must have; the write is only committed when it matches. */
  expectedSha256?: string
  /** bmaptool XML block map: only its ranges are written and verified. */
  bmapPath?: string
  /** Byte ranges holding data (e.g. from the image's own allocation bitmaps); the rest is skipped. */
  ranges?: ByteRange[]
  /** Skip blocks a raw image's ext4 bitmaps mark free (raw images only; compressed ones use a .bmap). */
  skipUnused?: boolean
  /** A drive over 128 GB is refused unless this is set. */
  confirmLarge?: boolean
  /** Ceiling for images whose format declares no size (gzip, zstd). */
  maxImageBytes?: number
}

export interface FlashProgress {
  target: string
  phase: 'write' | 'verify'
  bytes: number
  total: number | null
  /** bytes per second */
  rate: number | null
  etaSeconds: number | null
}

export interface FlashResult {
  target: string
  bytesWritten: number
  /** SHA-256 of what was read back from the target (over the written ranges: the whole image when none were skipped). */
  sha256: string | null
  verified: boolean
  seconds: number
  skippedBytes: number
  /** The first 4 KiB (partition table) is on the target: false after a cancel or a failure. */
  committed: boolean
  error: FlashErrorInfo | null
}

export interface FlashHooks {
  /** Runs between the final fsync and the read-back (tests corrupt a byte here). */
  beforeVerify?(target: string): Promise<void> | void
}

export interface FlashOptions {
  safety: SafetyPorts
  io?: TargetIo
  signal?: AbortSignal
  onProgress?(p: FlashProgress): void
  hooks?: FlashHooks
  now?(): number
}

interface Live {
  target: string
  kind: TargetKind
  handle: TargetHandle | null
  result: FlashResult
  started: number
  meter: RateMeter
  lastReport: number
}

function cancelled(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true
}

async function loadRanges(req: FlashRequest, format: SourceFormat, declared: number | null): Promise<{ ranges: ByteRange[] | null; imageSize: number | null }> {
  if (req.bmapPath !== undefined) {
    const xml = await readFile(req.bmapPath, 'utf8').catch((err: unknown) => {
      throw new FlashError('FLASH_BMAP_INVALID', `${req.bmapPath}: ${(err as NodeJS.ErrnoException).code}`)
    })
    const bmap = parseBmap(xml)
    if (declared !== null && bmap.imageSize !== declared) {
      throw new FlashError('FLASH_BMAP_INVALID', `it describes ${bmap.imageSize} bytes, the image has ${declared}`)
    }
    return { ranges: bmap.ranges, imageSize: bmap.imageSize }
  }
  if (req.ranges) return { ranges: req.ranges, imageSize: declared }
  if (req.skipUnused === true && format === 'raw' && declared !== null) {
    const fh = await open(req.source, 'r')
    try {
      return { ranges: await usedRangesOfRawImage(fh, declared), imageSize: declared }
    } finally {
      await fh.close()
    }
  }
  return { ranges: null, imageSize: declared }
}

function emptyResult(target: string): FlashResult {
  return { target, bytesWritten: 0, sha256: null, verified: false, seconds: 0, skippedBytes: 0, committed: false, error: null }
}

export async function flashImage(req: FlashRequest, opts: FlashOptions): Promise<FlashResult[]> {
  const now = opts.now ?? Date.now
  const io = opts.io ?? systemTargetIo
  const t0 = now()
  const fail = (err: unknown, targets = req.targets) =>
    targets.map((t) => ({ ...emptyResult(t), seconds: (now() - t0) / 1000, error: flashErrorInfo(err) }))

  let source: ImageSource
  let ranges: ByteRange[] | null
  let imageSize: number | null
  try {
    source = await openImageSource(req.source, { ...(req.maxImageBytes !== undefined ? { maxImageBytes: req.maxImageBytes } : {}), ...(opts.signal ? { signal: opts.signal } : {}) })
    ;({ ranges, imageSize } = await loadRanges(req, source.format, source.declaredSize))
    // The partition table is always written: it was zeroed at the start.
    if (ranges !== null) ranges = normalizeRanges([{ start: 0, length: HEAD_BYTES }, ...ranges], imageSize ?? Number.MAX_SAFE_INTEGER)
  } catch (err) {
    return fail(err)
  }

  // Every safety rule is checked before the first byte is read for writing, target by target.
  const live: Live[] = []
  const refused: FlashResult[] = []
  for (const target of [...new Set(req.targets)]) {
    try {
      const facts = await checkTarget(target, req.source, { imageSize, confirmLarge: req.confirmLarge === true }, opts.safety)
      const kind = facts.kind === 'block' ? 'block' : 'file'
      live.push({ target, kind, handle: null, result: emptyResult(target), started: now(), meter: new RateMeter(), lastReport: 0 })
    } catch (err) {
      refused.push({ ...emptyResult(target), error: flashErrorInfo(err) })
    }
  }
  const iterator = rechunk(source.chunks, CHUNK_BYTES)[Symbol.asyncIterator]()
  const finish = async () => {
    await iterator.return?.(undefined).catch(() => undefined)
    source.close()
    for (const l of live) await l.handle?.close().catch(() => undefined)
    const all = [...live.map((l) => l.result), ...refused]
    return req.targets.map((t) => all.find((r) => r.target === t)!)
  }
  if (live.length === 0) return finish()

  const markFailed = (l: Live, err: unknown) => {
    l.result.error ??= flashErrorInfo(targetIoError(err, l.target))
    l.result.seconds = (now() - l.started) / 1000
  }
  const active = () => live.filter((l) => l.result.error === null)

  let first: IteratorResult<Buffer>
  try {
    first = await iterator.next()
    // A file that is no disk image is refused before any target is opened.
    if (first.done || !looksLikeDiskImage(first.value)) throw new FlashError('FLASH_SOURCE_NOT_DISK_IMAGE', req.source)
  } catch (err) {
    for (const l of live) markFailed(l, err)
    return finish()
  }
  const head = Buffer.from(first.value.subarray(0, HEAD_BYTES))

  await Promise.all(
    live.map(async (l) => {
      try {
        l.handle = await io.open(l.target, l.kind)
        // Until the end, the card must not look bootable, whatever it held before.
        await l.handle.write(Buffer.alloc(HEAD_BYTES), 0, HEAD_BYTES, 0)
      } catch (err) {
        markFailed(l, err)
      }
    })
  )

  const expected = createHash('sha256')
  const total = imageSize
  const report = (l: Live, phase: FlashProgress['phase'], bytes: number, all: number | null, force = false) => {
    if (!opts.onProgress) return
    const at = now()
    const rate = l.meter.sample(bytes, at)
    if (!force && at - l.lastReport < 250) return
    l.lastReport = at
    const eta = l.meter.eta(bytes, all)
    opts.onProgress({ target: l.target, phase, bytes, total: all, rate, etaSeconds: eta })
  }

  let offset = 0
  let writtenTotal = 0
  let chunk: IteratorResult<Buffer> = first
  let sourceError: unknown = null
  while (!chunk.done) {
    const buf = chunk.value
    const pieces = ranges === null ? [{ start: 0, length: buf.length }] : intersect(ranges, offset, buf.length)
    const next = iterator.next()
    next.catch(() => undefined)
    for (const p of pieces) expected.update(buf.subarray(p.start, p.start + p.length))
    const bytesHere = rangesBytes(pieces)
    await Promise.all(
      active().map(async (l) => {
        try {
          for (const p of pieces) {
            // The head is held back: it is written after everything else.
            const skip = offset + p.start < HEAD_BYTES ? Math.min(p.length, HEAD_BYTES - (offset + p.start)) : 0
            if (p.length > skip) await l.handle!.write(buf, p.start + skip, p.length - skip, offset + p.start + skip)
          }
          l.result.bytesWritten += bytesHere
          report(l, 'write', offset + buf.length, total)
        } catch (err) {
          markFailed(l, err)
        }
      })
    )
    writtenTotal += bytesHere
    offset += buf.length
    if (cancelled(opts.signal)) break
    try {
      chunk = await next
    } catch (err) {
      sourceError = err
      break
    }
  }

  if (cancelled(opts.signal)) sourceError = new FlashError('FLASH_CANCELLED', 'the target')
  if (sourceError === null && req.expectedSha256 !== undefined) {
    try {
      const actual = await source.sourceSha256()
      if (actual !== req.expectedSha256.toLowerCase()) sourceError = new FlashError('FLASH_SOURCE_CHECKSUM_MISMATCH', `expected ${req.expectedSha256}, got ${actual}`)
    } catch (err) {
      sourceError = err
    }
  }
  if (sourceError !== null) {
    const err = sourceError instanceof FlashError ? sourceError : new FlashError('FLASH_SOURCE_CORRUPT', String((sourceError as Error)?.message ?? sourceError))
    await Promise.all(
      active().map(async (l) => {
        await l.handle!.sync().catch(() => undefined)
        markFailed(l, err.code === 'FLASH_CANCELLED' ? new FlashError('FLASH_CANCELLED', l.target) : err)
      })
    )
    return finish()
  }

  const written = writtenTotal
  const skipped = offset - writtenTotal
  const expectedHex = expected.digest('hex')
  const verifyRanges = ranges === null ? [{ start: 0, length: offset }] : normalizeRanges(ranges, offset)
  await Promise.all(
    active().map(async (l) => {
      try {
        const h = l.handle!
        await h.sync()
        const headLen = Math.min(HEAD_BYTES, offset)
        await h.write(head, 0, headLen, 0)
        // An image file is exactly the image, even where it replaced a longer one.
        if (l.kind === 'file') await h.truncate(offset)
        await h.sync()
        l.result.committed = true
        l.result.skippedBytes = skipped
        await opts.hooks?.beforeVerify?.(l.target)
        // Read-back has its own speed: a fresh meter, or the write's rate would skew the first ETAs.
        l.meter = new RateMeter()
        const got = await readBack(h, verifyRanges, (bytes) => report(l, 'verify', bytes, written), opts.signal)
        l.result.sha256 = got
        l.result.verified = got === expectedHex
        if (!l.result.verified) throw new FlashError('FLASH_VERIFY_MISMATCH', l.target)
        report(l, 'verify', written, written, true)
        l.result.seconds = (now() - l.started) / 1000
      } catch (err) {
        if (cancelled(opts.signal) && !(err instanceof FlashError)) markFailed(l, new FlashError('FLASH_CANCELLED', l.target))
        else markFailed(l, err)
      }
    })
  )
  return finish()
}

async function readBack(h: TargetHandle, ranges: readonly ByteRange[], progress: (bytes: number) => void, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256')
  const buf = Buffer.allocUnsafe(CHUNK_BYTES)
  let done = 0
  for (const r of ranges) {
    for (let pos = r.start; pos < r.start + r.length; ) {
      if (cancelled(signal)) throw new FlashError('FLASH_CANCELLED', 'verify')
      const want = Math.min(CHUNK_BYTES, r.start + r.length - pos)
      const { bytesRead } = await h.read(buf, 0, want, pos)
      if (bytesRead === 0) throw new FlashError('FLASH_VERIFY_MISMATCH', `target ends at ${pos}`)
      hash.update(buf.subarray(0, bytesRead))
      pos += bytesRead
      done += bytesRead
      progress(done)
    }
  }
  return hash.digest('hex')
}
