// The one disk image inside a .zip (as Raspberry Pi images used to ship). Exactly one .img entry:
// none, or several, and EdgeDock would be guessing which system to put on a card.
import { promisify } from 'node:util'
import yauzl from 'yauzl'
import { FlashError } from './flash-errors'

export interface ZipImage {
  name: string
  uncompressedSize: number
  chunks(): AsyncIterable<Buffer>
  close(): void
}

const openZip = promisify(yauzl.open) as (path: string, options: yauzl.Options) => Promise<yauzl.ZipFile>

function zipError(err: unknown, path: string): FlashError {
  const msg = String((err as Error)?.message ?? err)
  if (/end of central directory|truncated|unexpected EOF|past end/i.test(msg)) return new FlashError('FLASH_SOURCE_TRUNCATED', `${path}: ${msg}`, { cause: err })
  return new FlashError('FLASH_SOURCE_CORRUPT', `${path}: ${msg}`, { cause: err })
}

export async function openZipImage(path: string): Promise<ZipImage> {
  let zip: yauzl.ZipFile
  try {
    // validateEntrySizes: yauzl fails a stream that unpacks to more or less than the entry declares.
    zip = await openZip(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false })
  } catch (err) {
    throw zipError(err, path)
  }
  const entries: yauzl.Entry[] = await new Promise((resolve, reject) => {
    const found: yauzl.Entry[] = []
    zip.on('entry', (e: yauzl.Entry) => {
      if (!e.fileName.endsWith('/') && /\.img$/i.test(e.fileName) && !/(^|\/)(__MACOSX|\._)/.test(e.fileName)) found.push(e)
      zip.readEntry()
    })
    zip.on('end', () => resolve(found))
    zip.on('error', (err) => reject(zipError(err, path)))
    zip.readEntry()
  })
  if (entries.length === 0) {
    zip.close()
    throw new FlashError('FLASH_ZIP_NO_IMAGE', path)
  }
  if (entries.length > 1) {
    zip.close()
    throw new FlashError('FLASH_ZIP_AMBIGUOUS', entries.map((e) => e.fileName).join(', '))
  }
  const entry = entries[0]!
  return {
    name: entry.fileName,
    uncompressedSize: entry.uncompressedSize,
    close: () => {
      if (zip.isOpen) zip.close()
    },
    async *chunks() {
      try {
        const stream = await promisify(zip.openReadStream.bind(zip))(entry)
        for await (const c of stream) yield c as Buffer
      } catch (err) {
        if (err instanceof FlashError) throw err
        throw zipError(err, path)
      } finally {
        if (zip.isOpen) zip.close()
      }
    }
  }
}
