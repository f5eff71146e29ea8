// Sets an image (or a freshly written card) up for its first boot by editing its FAT boot
// partition in place: settings checked, files staged, the first-boot trigger written last, so a
// refusal or a failure part-way leaves an image that still boots as it came. The unit's host key
// is made here and returned, so the app can pin it before the card leaves the writer.
import { randomUUID } from 'node:crypto'
import { open, type FileHandle } from 'node:fs/promises'
import { generateEd25519HostKey } from '../../ssh/generate-host-key'
import { FlashError } from '../flash-errors'
import { CLOUD_INIT_FILES, CMDLINE, FIRSTRUN, STAGED } from './boot-file-names'
import { checkSettings, type BootSettings } from './boot-settings'
import { cloudInitMetaData, cloudInitNetworkConfig, cloudInitUserData } from './cloud-init-files'
import { editCmdline, hasFirstrunWords } from './cmdline-edit'
import { FatVolume, type FatEntry } from './fat-volume'
import { firstrunScript } from './firstrun-script'
import { ethernetKeyfile, wifiKeyfile } from './network-keyfiles'

export type FirstBootMechanism = 'firstrun' | 'cloud-init'

export interface BootPartitionFacts {
  fatType: 16 | 32
  label: string
  /** Byte offset of the file system in the file. */
  offset: number
  sizeBytes: number
  freeBytes: number
  /** Names in the root directory. */
  files: string[]
  /** null: no cmdline.txt and no cloud-init files, so not a Raspberry Pi OS boot partition. */
  mechanism: FirstBootMechanism | null
  cmdline: string | null
  /** cmdline.txt already starts a first-boot script (customised before, or never booted). */
  firstrunPending: boolean
}

export interface CustomiseOptions {
  /** Where the FAT starts in the file; by default partition 1 of the MBR. */
  partitionOffset?: number
  /** Overrides what the boot partition suggests. */
  mechanism?: FirstBootMechanism
  /** Fixed salt for the password hash (tests); a random one otherwise. */
  salt?: string
  now?: () => number
}

export interface CustomiseResult {
  mechanism: FirstBootMechanism
  filesWritten: string[]
  filesDeleted: string[]
  hostKey: { algorithm: string; fingerprint: string; publicKey: string } | null
}

async function openImage(imagePath: string, writable: boolean): Promise<FileHandle> {
  try {
    return await open(imagePath, writable ? 'r+' : 'r')
  } catch (err) {
    throw new FlashError('FLASH_SOURCE_UNREADABLE', `${imagePath}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err })
  }
}

const has = (files: readonly FatEntry[], name: string) => files.find((f) => !f.directory && f.name.toLowerCase() === name.toLowerCase())

function mechanismOf(files: readonly FatEntry[]): FirstBootMechanism | null {
  // cloud-init images carry its NoCloud seed on the boot partition; Bookworm's have only cmdline.txt.
  if (CLOUD_INIT_FILES.some((n) => has(files, n))) return 'cloud-init'
  return has(files, CMDLINE) ? 'firstrun' : null
}

async function factsOf(vol: FatVolume): Promise<BootPartitionFacts> {
  const files = await vol.list()
  const cmdline = has(files, CMDLINE) ? ((await vol.readFile(CMDLINE))?.toString('utf8') ?? null) : null
  return {
    fatType: vol.geometry.type,
    label: vol.label,
    offset: vol.offset,
    sizeBytes: vol.geometry.totalBytes,
    freeBytes: vol.freeBytes(),
    files: files.map((f) => f.name),
    mechanism: mechanismOf(files),
    cmdline,
    firstrunPending: cmdline !== null && hasFirstrunWords(cmdline)
  }
}

export async function readBootPartitionFacts(imagePath: string, opts: { partitionOffset?: number } = {}): Promise<BootPartitionFacts> {
  const fh = await openImage(imagePath, false)
  try {
    return await factsOf(await FatVolume.open(fh, imagePath, opts))
  } finally {
    await fh.close()
  }
}

export async function customiseBootPartition(imagePath: string, settings: BootSettings, opts: CustomiseOptions = {}): Promise<CustomiseResult> {
  // Settings first: a bad value is refused before the image is even opened for writing.
  const s = checkSettings(settings, opts.salt !== undefined ? { salt: opts.salt } : {})
  const fh = await openImage(imagePath, true)
  try {
    const vol = await FatVolume.open(fh, imagePath, { ...(opts.partitionOffset !== undefined ? { partitionOffset: opts.partitionOffset } : {}), ...(opts.now ? { now: opts.now } : {}) })
    const root = await vol.list()
    const mechanism = opts.mechanism ?? mechanismOf(root)
    if (mechanism === null) throw new FlashError('FLASH_BOOT_NOT_RASPBERRY_PI', 'it has no cmdline.txt and no cloud-init files')

    const hostKey = s.hostKey ? generateEd25519HostKey(`root@${s.hostname ?? 'raspberrypi'}`) : null
    const files = new Map<string, Buffer>()
    const put = (name: string, text: string | null) => {
      if (text !== null) files.set(name, Buffer.from(text, 'utf8'))
    }
    if (hostKey) {
      put(STAGED.hostKey, hostKey.privateKey)
      put(STAGED.hostKeyPub, `${hostKey.publicKey}\n`)
    }
    const cmdlineNow = has(root, CMDLINE) ? ((await vol.readFile(CMDLINE)) ?? Buffer.alloc(0)).toString('utf8') : null
    if (mechanism === 'firstrun') {
      if (cmdlineNow === null) throw new FlashError('FLASH_BOOT_FILE_MISSING', CMDLINE)
      if (s.authorizedKeys.length > 0) put(STAGED.authorizedKeys, `${s.authorizedKeys.join('\n')}\n`)
      put(STAGED.wifi, wifiKeyfile(s))
      put(STAGED.ethernet, ethernetKeyfile(s))
      put(FIRSTRUN, firstrunScript(s, { hostKey: hostKey !== null }))
      // Last: the trigger, once everything it starts is in place.
      put(CMDLINE, editCmdline(cmdlineNow, { firstrun: true, country: s.country }))
    } else {
      put('network-config', cloudInitNetworkConfig(s))
      if (!has(root, 'meta-data')) put('meta-data', cloudInitMetaData(`edgedock-${randomUUID()}`))
      if (cmdlineNow !== null && s.country !== null) put(CMDLINE, editCmdline(cmdlineNow, { firstrun: false, country: s.country }))
      put('user-data', cloudInitUserData(s, { hostKey: hostKey !== null }))
    }

    assertRoom(vol, root, files)
    const filesWritten: string[] = []
    try {
      for (const [name, data] of files) {
        await vol.writeFile(name, data)
        filesWritten.push(name)
      }
    } catch (err) {
      // The trigger is written last, so what came before it is only staged: take back the new
      // files (host key, Wi-Fi key) rather than leave secrets on a card that will not use them.
      for (const name of filesWritten) if (!has(root, name)) await vol.deleteFile(name).catch(() => false)
      throw err
    }
    // Staged secrets from an earlier run that this one did not write would otherwise stay readable.
    const filesDeleted: string[] = []
    for (const name of Object.values(STAGED)) {
      if (!files.has(name) && has(root, name) && (await vol.deleteFile(name))) filesDeleted.push(name)
    }
    await fh.sync()
    return {
      mechanism,
      filesWritten,
      filesDeleted,
      hostKey: hostKey ? { algorithm: hostKey.algorithm, fingerprint: hostKey.fingerprint, publicKey: hostKey.publicKey } : null
    }
  } finally {
    await fh.close()
  }
}

/** Refuses before the first write when the files cannot all fit (directory growth aside). */
function assertRoom(vol: FatVolume, root: readonly FatEntry[], files: ReadonlyMap<string, Buffer>): void {
  const cb = vol.geometry.clusterBytes
  let need = 0
  for (const [name, data] of files) need += Math.ceil(data.length / cb) - Math.ceil((has(root, name)?.size ?? 0) / cb)
  if (need * cb > vol.freeBytes()) throw new FlashError('FLASH_BOOT_FAT_FULL', `the first-boot files need ${need * cb} more bytes, ${vol.freeBytes()} are free`)
}
