// Flash failures as named codes with the sentence a technician reads. They are kept here until the
// shared error table (src/shared/i18n) gets matching 'error.FLASH_*' entries; the codes and the
// English text below are meant to move there unchanged.

export const flashMessages = {
  FLASH_SOURCE_UNREADABLE: 'Cannot read the image file: {detail}. Check that it exists and that EdgeDock may read it.',
  FLASH_SOURCE_NOT_DISK_IMAGE: '{detail} is not a disk image (no MBR or GPT partition table at its start). Choose a Raspberry Pi OS image (.img, .img.xz, .zip).',
  FLASH_SOURCE_TRUNCATED: 'The image file ends too early ({detail}); it was cut short while downloading or copying. Download it again.',
  FLASH_SOURCE_CORRUPT: 'The image file is damaged ({detail}). Download it again.',
  FLASH_SOURCE_TOO_LARGE: 'The image unpacks to more than it should ({detail}), so EdgeDock stopped. The archive may be malicious or damaged.',
  FLASH_SOURCE_CHECKSUM_MISMATCH: 'The image file does not match its expected SHA-256 ({detail}). It was not made bootable; download the image again.',
  FLASH_ZIP_NO_IMAGE: 'The zip file {detail} has no .img file inside. Choose another file.',
  FLASH_ZIP_AMBIGUOUS: 'The zip file holds several images ({detail}), so EdgeDock cannot tell which one to write. Unpack it and choose one.',
  FLASH_BMAP_INVALID: 'The block map (.bmap) cannot be used: {detail}. Flash without it or get a matching one.',
  FLASH_TARGET_SYSTEM_DRIVE: '{detail} holds this computer\'s own system, so EdgeDock will not write to it.',
  FLASH_TARGET_MOUNTED: '{detail} has a mounted partition. Eject (unmount) it first, then try again.',
  FLASH_TARGET_HOLDS_SOURCE: '{detail} holds the image file itself. Copy the image to another drive first.',
  FLASH_TARGET_READ_ONLY: '{detail} is read-only. Slide the lock switch on the SD card (or adapter) to unlocked and try again.',
  FLASH_TARGET_TOO_SMALL: 'The card is too small for this image ({detail}). Use a larger card.',
  FLASH_TARGET_LARGE_UNCONFIRMED: '{detail} is larger than 128 GB, which is unusual for an SD card. Confirm that this is the card you mean to erase.',
  FLASH_TARGET_NOT_A_DRIVE: '{detail} is not a whole drive or an image file EdgeDock may write.',
  FLASH_TARGET_FULL: 'There is no space left on {detail}. Free some space or choose another target.',
  FLASH_TARGET_WRITE_FAILED: 'Writing to {detail} failed. The card may be worn out or removed; try another card.',
  FLASH_VERIFY_MISMATCH: 'What was read back from {detail} differs from the image. The card may be faulty; try another card.',
  FLASH_CANCELLED: 'Flashing was cancelled; {detail} was left without a partition table, so it will not boot half-written.',
  FLASH_HELPER_PROTOCOL: 'The flash helper and the app do not understand each other ({detail}). Reinstall EdgeDock.',
  FLASH_HELPER_FAILED: 'The flash helper stopped unexpectedly ({detail}). Nothing more was written.',
  FLASH_BOOT_PARTITION_MISSING: 'No FAT boot partition was found ({detail}). Choose a Raspberry Pi OS image or a card written with one.',
  FLASH_BOOT_FAT_UNREADABLE: 'The boot partition cannot be read as FAT ({detail}). The image may be damaged; download it again.',
  FLASH_BOOT_FAT_FULL: 'The boot partition has no room left ({detail}). Nothing was changed on it.',
  FLASH_BOOT_FILE_MISSING: 'The boot partition has no {detail}.',
  FLASH_BOOT_NOT_RASPBERRY_PI: 'The boot partition does not look like Raspberry Pi OS ({detail}), so EdgeDock cannot set it up for its first boot.',
  FLASH_CUSTOMISE_INVALID: 'A first-boot setting cannot be used: {detail}.'
} as const

export type FlashErrorCode = keyof typeof flashMessages

export function isFlashErrorCode(value: unknown): value is FlashErrorCode {
  return typeof value === 'string' && Object.hasOwn(flashMessages, value)
}

export class FlashError extends Error {
  override readonly name = 'FlashError'
  constructor(
    readonly code: FlashErrorCode,
    readonly detail = '',
    options?: { cause?: unknown }
  ) {
    super(flashMessages[code].replace('{detail}', detail), options)
  }
}

export interface FlashErrorInfo {
  code: FlashErrorCode
  message: string
  detail: string
}

export function flashErrorInfo(err: unknown): FlashErrorInfo {
  const e = err instanceof FlashError ? err : new FlashError('FLASH_TARGET_WRITE_FAILED', String((err as Error)?.message ?? err), { cause: err })
  return { code: e.code, message: e.message, detail: e.detail }
}

/** Maps an fs error on a target to the sentence for it; ENOSPC must never reach the user as a stack. */
export function targetIoError(err: unknown, target: string): FlashError {
  if (err instanceof FlashError) return err
  const code = (err as NodeJS.ErrnoException)?.code
  switch (code) {
    case 'ENOSPC':
    case 'EFBIG':
      return new FlashError('FLASH_TARGET_FULL', target, { cause: err })
    case 'EROFS':
      return new FlashError('FLASH_TARGET_READ_ONLY', target, { cause: err })
    case 'EBUSY':
      return new FlashError('FLASH_TARGET_MOUNTED', target, { cause: err })
    default:
      return new FlashError('FLASH_TARGET_WRITE_FAILED', `${target}: ${code ?? (err as Error)?.message ?? String(err)}`, { cause: err })
  }
}
