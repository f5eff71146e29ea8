// The file allocation table, held in memory while a volume is open. Changes are written back to
// every FAT copy sector by sector (fsck and Windows compare the copies), and the FSInfo free count
// is recomputed from the table rather than adjusted, so it is right even if it was wrong before.
import type { FileHandle } from 'node:fs/promises'
import { FlashError, targetIoError } from '../flash-errors'
import type { FatGeometry } from './fat-geometry'

const FSINFO_LEAD = 0x41615252
const FSINFO_STRUCT = 0x61417272

export class FatTable {
  private readonly dirty = new Set<number>()
  private hint = 2

  private constructor(
    private readonly fh: FileHandle,
    private readonly base: number,
    private readonly geo: FatGeometry,
    private readonly buf: Buffer,
    private readonly where: string
  ) {}

  static async load(fh: FileHandle, base: number, geo: FatGeometry, where: string): Promise<FatTable> {
    const bytes = geo.fatSectors * geo.bytesPerSector
    const buf = Buffer.alloc(bytes)
    const { bytesRead } = await fh.read(buf, 0, bytes, base + geo.reservedSectors * geo.bytesPerSector)
    if (bytesRead !== bytes) throw new FlashError('FLASH_BOOT_FAT_UNREADABLE', `${where}: the FAT is cut short`)
    return new FatTable(fh, base, geo, buf, where)
  }

  get(cluster: number): number {
    return this.geo.type === 16 ? this.buf.readUInt16LE(cluster * 2) : this.buf.readUInt32LE(cluster * 4) & 0x0fffffff
  }

  private set(cluster: number, value: number): void {
    if (this.geo.type === 16) {
      this.buf.writeUInt16LE(value & 0xffff, cluster * 2)
    } else {
      // The top four bits are reserved and must be kept as they are.
      const old = this.buf.readUInt32LE(cluster * 4)
      this.buf.writeUInt32LE(((old & 0xf0000000) | (value & 0x0fffffff)) >>> 0, cluster * 4)
    }
    this.dirty.add(Math.floor((cluster * (this.geo.type === 16 ? 2 : 4)) / this.geo.bytesPerSector))
  }

  private get eoc(): number {
    return this.geo.type === 16 ? 0xffff : 0x0fffffff
  }

  isEnd(value: number): boolean {
    return value >= (this.geo.type === 16 ? 0xfff8 : 0x0ffffff8)
  }

  isData(cluster: number): boolean {
    return cluster >= 2 && cluster < this.geo.clusterCount + 2
  }

  /** The clusters of a chain; a loop or a link into nowhere means a damaged volume, not a short file. */
  chain(first: number): number[] {
    const out: number[] = []
    for (let c = first; ; ) {
      if (!this.isData(c)) throw new FlashError('FLASH_BOOT_FAT_UNREADABLE', `${this.where}: a chain points at cluster ${c}`)
      out.push(c)
      if (out.length > this.geo.clusterCount) throw new FlashError('FLASH_BOOT_FAT_UNREADABLE', `${this.where}: a cluster chain loops`)
      const next = this.get(c)
      if (this.isEnd(next)) return out
      c = next
    }
  }

  freeCount(): number {
    let n = 0
    for (let c = 2; c < this.geo.clusterCount + 2; c++) if (this.get(c) === 0) n++
    return n
  }

  /** Takes `count` free clusters and links them; throws FULL before changing anything. */
  allocate(count: number, what: string): number[] {
    if (count === 0) return []
    const found: number[] = []
    const total = this.geo.clusterCount
    for (let i = 0; i < total && found.length < count; i++) {
      const c = 2 + ((this.hint - 2 + i) % total)
      if (this.get(c) === 0) found.push(c)
    }
    if (found.length < count) throw new FlashError('FLASH_BOOT_FAT_FULL', `${what} needs ${count * this.geo.clusterBytes} bytes, ${found.length * this.geo.clusterBytes} are free`)
    found.forEach((c, i) => this.set(c, i + 1 < found.length ? found[i + 1]! : this.eoc))
    this.hint = found[found.length - 1]! + 1
    return found
  }

  /** Links `next` after the last cluster of an existing chain (a directory that grows). */
  append(last: number, next: number): void {
    this.set(last, next)
  }

  release(chain: readonly number[]): void {
    for (const c of chain) this.set(c, 0)
  }

  /** Writes the changed sectors to every FAT copy, then FSInfo. */
  async flush(): Promise<void> {
    const bps = this.geo.bytesPerSector
    try {
      for (const sector of [...this.dirty].sort((a, b) => a - b)) {
        for (let copy = 0; copy < this.geo.fatCount; copy++) {
          const at = this.base + (this.geo.reservedSectors + copy * this.geo.fatSectors + sector) * bps
          await this.fh.write(this.buf, sector * bps, bps, at)
        }
      }
      this.dirty.clear()
      if (this.geo.type === 32 && this.geo.fsInfoSector !== 0) await this.writeFsInfo()
    } catch (err) {
      throw targetIoError(err, this.where)
    }
  }

  private async writeFsInfo(): Promise<void> {
    const at = this.base + this.geo.fsInfoSector * this.geo.bytesPerSector
    const info = Buffer.alloc(512)
    await this.fh.read(info, 0, 512, at)
    // A sector without both signatures is not an FSInfo we may write into.
    if (info.readUInt32LE(0) !== FSINFO_LEAD || info.readUInt32LE(484) !== FSINFO_STRUCT) return
    info.writeUInt32LE(this.freeCount(), 488)
    info.writeUInt32LE(this.isData(this.hint) ? this.hint : 2, 492)
    await this.fh.write(info, 0, 512, at)
  }
}
