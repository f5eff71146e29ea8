// An image source as one stream of decompressed bytes, read once from start to end (no temporary
// copy of the whole image), with a ceiling on how much it may unpack to (decompression bombs) and
// the SHA-256 of the file itself computed on the way.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { pipeline, Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import { Decompress as ZstdDecompress } from 'fzstd'
import xzDecompress from 'xz-decompress'
import { detectFormat, type SourceFormat } from './detect-format'
import { FlashError } from './flash-errors'
import { xzDeclaredSize } from './xz-index'
import { openZipImage } from './zip-image'

export const DEFAULT_MAX_IMAGE_BYTES = 64 * 1024 ** 3
const READ_CHUNK = 4 * 1024 * 1024

export interface ImageSource {
  format: SourceFormat
  /** What the image unpacks to, where the format says so (raw size, xz index, zip entry). */
  declaredSize: number | null
  /** Unpacking past this many bytes stops with FLASH_SOURCE_TOO_LARGE. */
  limit: number
  /** Decompressed image bytes; may be iterated once. */
  chunks: AsyncIterable<Buffer>
  /** SHA-256 (hex) of the source file, known once `chunks` is exhausted. */
  sourceSha256(): Promise<string>
  /** Releases the file, whether or not `chunks` was read to the end. */
  close(): void
}

export interface OpenSourceOptions {
  /** Cap for formats that declare no size (gzip, zstd). */
  maxImageBytes?: number
  signal?: AbortSignal
}

async function readHead(path: string): Promise<{ head: Buffer; size: number; fh: Awaited<ReturnType<typeof open>> }> {
  try {
    const fh = await open(path, 'r')
    const size = (await fh.stat()).size
    const head = Buffer.alloc(8)
    await fh.read(head, 0, 8, 0)
    return { head, size, fh }
  } catch (err) {
    throw new FlashError('FLASH_SOURCE_UNREADABLE', `${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err })
  }
}

interface HashedFile {
  file: Readable
  chunks: AsyncGenerator<Buffer>
  finished(): boolean
}

function hashedFile(path: string, hash: ReturnType<typeof createHash>): HashedFile {
  // No AbortSignal here: the writer checks it between chunks, and an aborted stream nobody reads
  // yet would throw an unhandled 'error'.
  const file = createReadStream(path, { highWaterMark: READ_CHUNK })
  let done = false
  // Pulled, not a 'data' listener: that would start the stream flowing before the decoder reads it.
  // The hash sees exactly the bytes the decoder gets, so a match means the written image came from them.
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const c of file) {
      hash.update(c as Buffer)
      yield c as Buffer
    }
    done = true
  }
  return { file, chunks: chunks(), finished: () => done }
}

function decodeError(format: SourceFormat, err: unknown): FlashError {
  if (err instanceof FlashError) return err
  if ((err as Error)?.name === 'AbortError') throw err
  const msg = String((err as Error)?.message ?? err)
  if (/unexpected end|truncat|premature|end of file/i.test(msg)) return new FlashError('FLASH_SOURCE_TRUNCATED', `${format}: ${msg}`, { cause: err })
  return new FlashError('FLASH_SOURCE_CORRUPT', `${format}: ${msg}`, { cause: err })
}

async function* zstdChunks(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let out: Buffer[] = []
  let ended = false
  const dec = new ZstdDecompress((chunk, final) => {
    out.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))
    if (final) ended = true
  })
  for await (const c of input) {
    dec.push(c as Buffer)
    if (out.length > 0) {
      yield* out
      out = []
    }
  }
  try {
    dec.push(new Uint8Array(0), true)
  } catch (err) {
    throw new FlashError('FLASH_SOURCE_TRUNCATED', `zstd: ${String((err as Error)?.message ?? err)}`, { cause: err })
  }
  // fzstd does not always complain about a stream that stops mid-frame, so a missing last block is caught here.
  if (!ended) throw new FlashError('FLASH_SOURCE_TRUNCATED', 'zstd: the last frame is incomplete')
  yield* out
}

function decoded(format: SourceFormat, input: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  switch (format) {
    case 'raw':
      return input
    case 'gzip':
    {
      // pipeline, not pipe: a read error on the file must end the decoder too, not leave it waiting.
      const gunzip = createGunzip({ chunkSize: 1024 * 1024 })
      pipeline(Readable.from(input, { objectMode: false }), gunzip, () => undefined)
      return gunzip
    }
    case 'xz': {
      const web = new xzDecompress.XzReadableStream(Readable.toWeb(Readable.from(input, { objectMode: false })) as ReadableStream<Uint8Array>)
      const out = Readable.fromWeb(web as import('node:stream/web').ReadableStream<Uint8Array>)
      // Closed before it was read to the end (an inspection reads one chunk), the web stream errors
      // with AbortError; a reader sees errors through its iterator, so the event itself is not fatal.
      out.on('error', () => undefined)
      return out
    }
    case 'zstd':
      return zstdChunks(input)
    case 'zip':
      throw new Error('zip is opened by openZipImage')
  }
}

async function* limited(format: SourceFormat, source: AsyncIterable<Buffer>, limit: number, declared: number | null): AsyncGenerator<Buffer> {
  let total = 0
  try {
    for await (const raw of source) {
      const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as Uint8Array)
      total += chunk.length
      if (total > limit) throw new FlashError('FLASH_SOURCE_TOO_LARGE', `over ${limit} bytes`)
      yield chunk
    }
  } catch (err) {
    throw decodeError(format, err)
  }
  if (declared !== null && total < declared) throw new FlashError('FLASH_SOURCE_TRUNCATED', `${total} of ${declared} bytes`)
}

async function hashWholeFile(path: string, signal: AbortSignal | undefined): Promise<string> {
  const hash = createHash('sha256')
  for await (const c of createReadStream(path, { highWaterMark: READ_CHUNK, ...(signal ? { signal } : {}) })) hash.update(c as Buffer)
  return hash.digest('hex')
}

export async function openImageSource(path: string, options: OpenSourceOptions = {}): Promise<ImageSource> {
  const cap = options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES
  const { head, size, fh } = await readHead(path)
  const format = detectFormat(head)
  let declaredSize: number | null = null
  try {
    if (format === 'raw') declaredSize = size
    if (format === 'xz') declaredSize = await xzDeclaredSize(fh, size)
  } finally {
    await fh.close()
  }

  // A declared size is trusted as a ceiling, not as permission: past the cap it is refused up front.
  if (declaredSize !== null && format !== 'raw' && declaredSize > cap) throw new FlashError('FLASH_SOURCE_TOO_LARGE', `declares ${declaredSize} bytes, the limit is ${cap}`)

  if (format === 'zip') {
    const zip = await openZipImage(path)
    if (zip.uncompressedSize > cap) {
      zip.close()
      throw new FlashError('FLASH_SOURCE_TOO_LARGE', `declares ${zip.uncompressedSize} bytes, the limit is ${cap}`)
    }
    // The zip is read by offset, not front to back, so the file hash is its own sequential pass.
    const digest = hashWholeFile(path, options.signal)
    digest.catch(() => undefined)
    return {
      format,
      declaredSize: zip.uncompressedSize,
      limit: zip.uncompressedSize,
      chunks: limited(format, zip.chunks(), zip.uncompressedSize, zip.uncompressedSize),
      sourceSha256: () => digest,
      close: () => zip.close()
    }
  }

  const hash = createHash('sha256')
  let digest: string | null = null
  const limit = declaredSize ?? cap
  const input = hashedFile(path, hash)
  const inner = limited(format, decoded(format, input.chunks), limit, declaredSize)
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      yield* inner
    } finally {
      input.file.destroy()
    }
  }
  return {
    format,
    declaredSize,
    limit,
    chunks: chunks(),
    close: () => input.file.destroy(),
    async sourceSha256() {
      if (!input.finished()) throw new Error('source not read to the end')
      digest ??= hash.digest('hex')
      return digest
    }
  }
}

export async function sourceFileSize(path: string): Promise<number> {
  return (await stat(path)).size
}
