// A FAT16/FAT32 file system edited in place through a file handle: no mount, no root, no native
// module. Enough for a boot partition: list a directory, read, add or replace, and delete a file.
// Every write is planned first (clusters and directory slots counted) so a full volume is refused
// before the first byte changes; then data goes first, the FAT second and the directory entry last,
// so an interrupted write leaves at worst a lost chain that fsck reclaims, never a file pointing at
// garbage.
import type { FileHandle } from 'node:fs/promises'
import { FlashError, targetIoError } from '../flash-errors'
import { locateBootPartition, readSector } from './boot-partition-locate'
import { parseFatGeometry, type FatGeometry } from './fat-geometry'
import {
  ATTR_ARCHIVE,
  ATTR_DIRECTORY,
  ATTR_LFN,
  ATTR_VOLUME,
  ENTRY_BYTES,
  assertValidLongName,
  dosDateTime,
  lfnChecksum,
  lfnEntries,
  lfnPart,
  makeShortName,
  shortNameText
} from './fat-names'
import { FatTable } from './fat-table'

export interface FatEntry {
  name: string
  /** The 8.3 name as stored (11 bytes, space padded). */
  shortName: string
  directory: boolean
  size: number
  cluster: number
  /** Slot index of the first LFN entry and of the short entry. */
  firstSlot: number
  slot: number
}

type Dir = { kind: 'fixed'; offset: number; slots: number } | { kind: 'chain'; clusters: number[] }

export interface OpenFatOptions {
  /** Where the file system starts; by default partition 1 of the MBR (or byte 0 for a bare FAT). */
  partitionOffset?: number
  /** Clock for the entries' time stamps. */
  now?: () => number
}

export class FatVolume {
  private constructor(
    private readonly fh: FileHandle,
    readonly offset: number,
    readonly geometry: FatGeometry,
    private readonly fat: FatTable,
    private readonly where: string,
    private readonly now: () => number
  ) {}

  static async open(fh: FileHandle, where: string, opts: OpenFatOptions = {}): Promise<FatVolume> {
    const place = await locateBootPartition(fh, where, opts.partitionOffset)
    const geo = parseFatGeometry(await readSector(fh, place.offset), where, place.length)
    const fat = await FatTable.load(fh, place.offset, geo, where)
    return new FatVolume(fh, place.offset, geo, fat, where, opts.now ?? Date.now)
  }

  get label(): string {
    return this.geometry.label
  }

  freeBytes(): number {
    return this.fat.freeCount() * this.geometry.clusterBytes
  }

  async list(dirPath = ''): Promise<FatEntry[]> {
    return (await this.entries(await this.openDir(dirPath))).items
  }

  async readFile(path: string): Promise<Buffer | null> {
    const { dir, name } = await this.parent(path)
    const entry = find((await this.entries(dir)).items, name)
    if (!entry || entry.directory) return null
    if (entry.size === 0) return Buffer.alloc(0)
    const chain = this.fat.chain(entry.cluster)
    const cb = this.geometry.clusterBytes
    if (chain.length * cb < entry.size) throw new FlashError('FLASH_BOOT_FAT_UNREADABLE', `${this.where}: ${path} is longer than its clusters`)
    const out = Buffer.alloc(chain.length * cb)
    for (const run of runs(chain, Math.max(1, (1 << 20) / cb))) await this.read(out, run.index * cb, run.count * cb, this.clusterAt(run.first))
    return out.subarray(0, entry.size)
  }

  /** Adds or replaces `path` (in the root or an existing directory) with `data`. */
  async writeFile(path: string, data: Buffer): Promise<void> {
    const { dir, name } = await this.parent(path)
    assertValidLongName(name)
    const { items, bytes } = await this.entries(dir)
    const existing = find(items, name)
    if (existing?.directory) throw new FlashError('FLASH_CUSTOMISE_INVALID', `${path} is a directory on the boot partition`)
    const cb = this.geometry.clusterBytes
    const need = Math.ceil(data.length / cb)
    const oldChain = existing && existing.cluster !== 0 ? this.fat.chain(existing.cluster) : []

    // Directory slots for a new name: a free run, or a new directory cluster.
    let newEntries: Buffer[] = []
    let slot = existing?.slot ?? -1
    let growBy = 0
    if (!existing) {
      const short = makeShortName(name, new Set(items.map((i) => i.shortName)))
      const entry = shortEntry(short.raw, short.nt, ATTR_ARCHIVE, this.now())
      newEntries = [...(short.needsLfn ? lfnEntries(name, short.raw) : []), entry]
      slot = freeRun(bytes, newEntries.length)
      if (slot < 0) {
        if (dir.kind === 'fixed') throw new FlashError('FLASH_BOOT_FAT_FULL', `the root directory has no free entry for ${name}`)
        slot = trailingFree(bytes)
        growBy = Math.ceil(((slot + newEntries.length) * ENTRY_BYTES - bytes.length) / cb)
      }
    }
    const free = this.fat.freeCount()
    if (need + growBy > free + oldChain.length) {
      throw new FlashError('FLASH_BOOT_FAT_FULL', `${name} needs ${(need + growBy) * cb} bytes, ${(free + oldChain.length) * cb} are free`)
    }
    // Replacing in a nearly full volume: the old clusters must be freed before the new ones are taken.
    const reuse = need + growBy > free
    if (reuse) this.fat.release(oldChain)
    const clusters = this.fat.allocate(need, name)
    await this.writeClusters(clusters, data)
    if (growBy > 0) await this.grow(dir as Extract<Dir, { kind: 'chain' }>, growBy)
    await this.fat.flush()

    if (existing) {
      const e = Buffer.from(bytes.subarray(existing.slot * ENTRY_BYTES, (existing.slot + 1) * ENTRY_BYTES))
      setCluster(e, clusters[0] ?? 0)
      e.writeUInt32LE(data.length, 28)
      const t = dosDateTime(this.now())
      e.writeUInt16LE(t.time, 22)
      e.writeUInt16LE(t.date, 24)
      e.writeUInt16LE(t.date, 18)
      e[11] = e[11]! | ATTR_ARCHIVE
      await this.writeSlots(dir, existing.slot, [e])
    } else {
      const short = newEntries[newEntries.length - 1]!
      setCluster(short, clusters[0] ?? 0)
      short.writeUInt32LE(data.length, 28)
      await this.writeSlots(dir, slot, newEntries)
    }
    if (!reuse && oldChain.length > 0) {
      this.fat.release(oldChain)
      await this.fat.flush()
    }
  }

  /** Removes `path`; false when there was no such file. */
  async deleteFile(path: string): Promise<boolean> {
    const { dir, name } = await this.parent(path)
    const entry = find((await this.entries(dir)).items, name)
    if (!entry) return false
    if (entry.directory) throw new FlashError('FLASH_CUSTOMISE_INVALID', `${path} is a directory on the boot partition`)
    const chain = entry.cluster !== 0 ? this.fat.chain(entry.cluster) : []
    // The entry goes first: a chain without an entry is only lost space, an entry without a chain is a broken file.
    for (let s = entry.firstSlot; s <= entry.slot; s++) await this.write(Buffer.from([0xe5]), 0, 1, this.slotAt(dir, s))
    this.fat.release(chain)
    await this.fat.flush()
    return true
  }

  private async parent(path: string): Promise<{ dir: Dir; name: string }> {
    const parts = path.split('/').filter((p) => p !== '')
    const name = parts.pop()
    if (name === undefined) throw new FlashError('FLASH_CUSTOMISE_INVALID', `${JSON.stringify(path)} names no file`)
    return { dir: await this.openDir(parts.join('/')), name }
  }

  private async openDir(dirPath: string): Promise<Dir> {
    const g = this.geometry
    let dir: Dir = g.type === 16 ? { kind: 'fixed', offset: g.rootDirOffset, slots: g.rootDirEntries } : { kind: 'chain', clusters: this.fat.chain(g.rootCluster) }
    for (const part of dirPath.split('/').filter((p) => p !== '')) {
      const entry = find((await this.entries(dir)).items, part)
      if (!entry?.directory || entry.cluster === 0) throw new FlashError('FLASH_BOOT_FILE_MISSING', `directory ${dirPath}`)
      dir = { kind: 'chain', clusters: this.fat.chain(entry.cluster) }
    }
    return dir
  }

  private async entries(dir: Dir): Promise<{ items: FatEntry[]; bytes: Buffer }> {
    const cb = this.geometry.clusterBytes
    let bytes: Buffer
    if (dir.kind === 'fixed') {
      bytes = Buffer.alloc(dir.slots * ENTRY_BYTES)
      await this.read(bytes, 0, bytes.length, this.offset + dir.offset)
    } else {
      bytes = Buffer.alloc(dir.clusters.length * cb)
      for (let i = 0; i < dir.clusters.length; i++) await this.read(bytes, i * cb, cb, this.clusterAt(dir.clusters[i]!))
    }
    const items: FatEntry[] = []
    let lfn: { parts: string[]; checksum: number; first: number; expect: number } | null = null
    for (let s = 0; s * ENTRY_BYTES < bytes.length; s++) {
      const e = bytes.subarray(s * ENTRY_BYTES, (s + 1) * ENTRY_BYTES)
      if (e[0] === 0x00) break
      if (e[0] === 0xe5) {
        lfn = null
        continue
      }
      if ((e[11]! & 0x3f) === ATTR_LFN) {
        const p = lfnPart(e)
        if (p.last) lfn = { parts: [], checksum: p.checksum, first: s, expect: p.seq }
        if (lfn && p.seq === lfn.expect && p.checksum === lfn.checksum && p.seq >= 1) {
          lfn.parts[p.seq - 1] = p.text
          lfn.expect--
        } else {
          lfn = null
        }
        continue
      }
      const attr = e[11]!
      const raw = e.subarray(0, 11)
      const long = lfn && lfn.expect === 0 && lfn.checksum === lfnChecksum(raw) ? lfn.parts.join('') : null
      const first = long !== null ? lfn!.first : s
      lfn = null
      if (attr & ATTR_VOLUME) continue
      const short = shortNameText(raw, e[12]!)
      if (short === '.' || short === '..') continue
      items.push({
        name: long ?? short,
        shortName: raw.toString('latin1'),
        directory: (attr & ATTR_DIRECTORY) !== 0,
        size: e.readUInt32LE(28),
        cluster: (this.geometry.type === 32 ? e.readUInt16LE(20) << 16 : 0) | e.readUInt16LE(26),
        firstSlot: first,
        slot: s
      })
    }
    return { items, bytes }
  }

  private async grow(dir: Extract<Dir, { kind: 'chain' }>, count: number): Promise<void> {
    const added = this.fat.allocate(count, 'the directory')
    this.fat.append(dir.clusters[dir.clusters.length - 1]!, added[0]!)
    // New directory clusters must read as "no more entries".
    const zero = Buffer.alloc(this.geometry.clusterBytes)
    for (const c of added) await this.write(zero, 0, zero.length, this.clusterAt(c))
    dir.clusters.push(...added)
  }

  private async writeClusters(clusters: readonly number[], data: Buffer): Promise<void> {
    const cb = this.geometry.clusterBytes
    // Runs of adjacent clusters go out as one write; the slack after the end of the file is
    // zeroed, so no old bytes linger in the last cluster.
    for (const run of runs(clusters, Math.max(1, (1 << 20) / cb))) {
      const buf = Buffer.alloc(run.count * cb)
      data.copy(buf, 0, run.index * cb, Math.min(data.length, (run.index + run.count) * cb))
      await this.write(buf, 0, buf.length, this.clusterAt(run.first))
    }
  }

  private async writeSlots(dir: Dir, first: number, entries: readonly Buffer[]): Promise<void> {
    for (let i = 0; i < entries.length; i++) await this.write(entries[i]!, 0, ENTRY_BYTES, this.slotAt(dir, first + i))
  }

  private clusterAt(cluster: number): number {
    return this.offset + this.geometry.dataOffset + (cluster - 2) * this.geometry.clusterBytes
  }

  private slotAt(dir: Dir, slot: number): number {
    if (dir.kind === 'fixed') return this.offset + dir.offset + slot * ENTRY_BYTES
    const per = this.geometry.clusterBytes / ENTRY_BYTES
    return this.clusterAt(dir.clusters[Math.floor(slot / per)]!) + (slot % per) * ENTRY_BYTES
  }

  private async read(buf: Buffer, at: number, length: number, position: number): Promise<void> {
    const { bytesRead } = await this.fh.read(buf, at, length, position)
    if (bytesRead !== length) throw new FlashError('FLASH_BOOT_FAT_UNREADABLE', `${this.where}: the file system reaches past the end of the file`)
  }

  private async write(buf: Buffer, at: number, length: number, position: number): Promise<void> {
    try {
      const { bytesWritten } = await this.fh.write(buf, at, length, position)
      if (bytesWritten !== length) throw Object.assign(new Error('short write'), { code: 'ENOSPC' })
    } catch (err) {
      throw targetIoError(err, this.where)
    }
  }
}

/** Consecutive clusters of a chain as (position in chain, first cluster, count), at most `max` long. */
function runs(chain: readonly number[], max: number): { index: number; first: number; count: number }[] {
  const out: { index: number; first: number; count: number }[] = []
  for (let i = 0; i < chain.length; ) {
    let n = 1
    while (i + n < chain.length && n < max && chain[i + n] === chain[i]! + n) n++
    out.push({ index: i, first: chain[i]!, count: n })
    i += n
  }
  return out
}

// FAT names compare without case (the short name is stored upper case; Windows and Linux both fold).
function find(items: readonly FatEntry[], name: string): FatEntry | undefined {
  const want = name.toUpperCase()
  return items.find((i) => i.name.toUpperCase() === want) ?? items.find((i) => shortNameText(Buffer.from(i.shortName, 'latin1'), 0) === want)
}

function shortEntry(raw: Buffer, nt: number, attr: number, ms: number): Buffer {
  const e = Buffer.alloc(ENTRY_BYTES)
  raw.copy(e, 0)
  e[11] = attr
  e[12] = nt
  const t = dosDateTime(ms)
  e.writeUInt16LE(t.time, 14)
  e.writeUInt16LE(t.date, 16)
  e.writeUInt16LE(t.date, 18)
  e.writeUInt16LE(t.time, 22)
  e.writeUInt16LE(t.date, 24)
  return e
}

function setCluster(e: Buffer, cluster: number): void {
  e.writeUInt16LE(cluster >>> 16, 20)
  e.writeUInt16LE(cluster & 0xffff, 26)
}

/** First slot of `count` consecutive free slots (deleted, or past the end marker), or -1. */
function freeRun(bytes: Buffer, count: number): number {
  const slots = bytes.length / ENTRY_BYTES
  let run = 0
  for (let s = 0; s < slots; s++) {
    const b = bytes[s * ENTRY_BYTES]!
    if (b === 0x00) return slots - (s - run) >= count ? s - run : -1
    run = b === 0xe5 ? run + 1 : 0
    if (run === count) return s - count + 1
  }
  return -1
}

/** Where a run continuing into new clusters starts: after the last used slot. */
function trailingFree(bytes: Buffer): number {
  const slots = bytes.length / ENTRY_BYTES
  let end = slots
  for (let s = 0; s < slots; s++) {
    if (bytes[s * ENTRY_BYTES] === 0x00) {
      end = s
      break
    }
  }
  while (end > 0 && bytes[(end - 1) * ENTRY_BYTES] === 0xe5) end--
  return end
}
