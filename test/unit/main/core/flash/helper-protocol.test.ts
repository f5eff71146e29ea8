import { describe, expect, it } from 'vitest'
import { detectFormat, looksLikeDiskImage } from '../../../../../src/main/core/flash/detect-format'
import { appMessageSchema, LineReader } from '../../../../../src/main/core/flash/helper-protocol'

describe('helper protocol', () => {
  it('splits lines across chunks and refuses an overlong one without buffering it', () => {
    const lines: string[] = []
    let overlong = 0
    const r = new LineReader((l) => lines.push(l), () => overlong++, 10)
    r.push('{"a":1}\n{"b"')
    r.push(':2}\n')
    r.push('x'.repeat(25))
    r.push('yyy\n{"c":3}\n')
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}'])
    expect(overlong).toBe(1)
  })

  it('accepts a write request and refuses unknown fields', () => {
    expect(appMessageSchema.safeParse({ type: 'write', id: '1', request: { source: '/a.img', targets: ['/b.img'] } }).success).toBe(true)
    expect(appMessageSchema.safeParse({ type: 'write', id: '1', request: { source: '/a.img', targets: ['/b.img'], skipSafety: true } }).success).toBe(false)
    expect(appMessageSchema.safeParse({ type: 'cancel' }).success).toBe(false)
  })
})

describe('source format by content', () => {
  it('reads magic bytes, not names', () => {
    expect(detectFormat(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))).toBe('xz')
    expect(detectFormat(Buffer.from([0x1f, 0x8b, 8]))).toBe('gzip')
    expect(detectFormat(Buffer.from('PK\x03\x04', 'latin1'))).toBe('zip')
    expect(detectFormat(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))).toBe('zstd')
    expect(detectFormat(Buffer.alloc(8))).toBe('raw')
  })
  it('knows an MBR and a GPT disk from anything else', () => {
    const mbr = Buffer.alloc(1024)
    mbr[510] = 0x55
    mbr[511] = 0xaa
    expect(looksLikeDiskImage(mbr)).toBe(true)
    const gpt = Buffer.alloc(1024)
    gpt.write('EFI PART', 512, 'latin1')
    expect(looksLikeDiskImage(gpt)).toBe(true)
    expect(looksLikeDiskImage(Buffer.alloc(1024, 7))).toBe(false)
  })
})
