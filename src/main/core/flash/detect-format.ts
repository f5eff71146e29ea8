// What a source file is, from its first bytes: names lie (a renamed .img.xz, a .zip saved as .img),
// magic bytes do not.

export type SourceFormat = 'raw' | 'xz' | 'gzip' | 'zip' | 'zstd'

const MAGIC: { format: SourceFormat; bytes: number[] }[] = [
  { format: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { format: 'gzip', bytes: [0x1f, 0x8b] },
  { format: 'zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { format: 'zstd', bytes: [0x28, 0xb5, 0x2f, 0xfd] }
]

export function detectFormat(head: Uint8Array): SourceFormat {
  for (const m of MAGIC) if (m.bytes.every((b, i) => head[i] === b)) return m.format
  return 'raw'
}

/** An MBR ends its first sector with 55 AA; a GPT disk also has one (protective MBR) and "EFI PART" at 512. */
export function looksLikeDiskImage(head: Uint8Array): boolean {
  if (head.length < 512) return false
  if (head[510] === 0x55 && head[511] === 0xaa) return true
  return head.length >= 520 && Buffer.from(head.subarray(512, 520)).toString('latin1') === 'EFI PART'
}
