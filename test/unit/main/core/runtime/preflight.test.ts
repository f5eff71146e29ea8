import { describe, expect, it } from 'vitest'
import { errorMessage } from '../../../../../src/shared/errors'
import { DISK_MARGIN_BYTES, judgePreflight, parseDfAvail, parseGlibc, preflightCommands, preflightError, type PreflightOutputs } from '../../../../../src/main/core/runtime/preflight'

// Outputs as recorded from the units (and lab VMs) they are named after.
const DF_HEADER = '       Avail\n'
const GB = 1024 ** 3
const bundle = 200 * 1024 * 1024

const pi4Bookworm64: PreflightOutputs = {
  arch: 'aarch64\n',
  longBit: '64\n',
  libc: 'ldd (Debian GLIBC 2.36-9+deb12u9) 2.36\nCopyright (C) 2022 Free Software Foundation, Inc.\n',
  diskFree: `${DF_HEADER}25317711872\n`
}

describe('preflightCommands', () => {
  it('are argument arrays for the quoting module', () => {
    expect(preflightCommands.arch).toEqual(['uname', '-m'])
    expect(preflightCommands.longBit).toEqual(['getconf', 'LONG_BIT'])
    expect(preflightCommands.libc).toEqual(['ldd', '--version'])
    expect(preflightCommands.diskFree).toEqual(['df', '-B1', '--output=avail', '/opt'])
  })
})

describe('judgePreflight', () => {
  it('accepts a Pi 4 on 64-bit Raspberry Pi OS (bookworm)', () => {
    const v = judgePreflight(pi4Bookworm64, bundle)
    expect(v).toMatchObject({ ok: true, arch: 'arm64', problems: [], facts: { machine: 'aarch64', longBit: 64, glibc: '2.36', freeBytes: 25317711872 } })
    expect(v.neededBytes).toBe(bundle + DISK_MARGIN_BYTES)
    expect(preflightError(v)).toBeNull()
  })

  it('accepts an x86_64 Debian box and picks the x64 runtime', () => {
    const v = judgePreflight({ ...pi4Bookworm64, arch: 'x86_64\n' }, bundle)
    expect(v).toMatchObject({ ok: true, arch: 'x64' })
  })

  it('refuses 32-bit Raspberry Pi OS on a Pi 3 (armv7l) with the 32-bit code and sentence', () => {
    const v = judgePreflight({ ...pi4Bookworm64, arch: 'armv7l\n', longBit: '32\n', libc: 'ldd (Debian GLIBC 2.36-9+rpt2+deb12u9) 2.36\n' }, bundle)
    expect(v.ok).toBe(false)
    expect(v.arch).toBeNull()
    expect(v.problems).toEqual([{ code: 'RUNTIME_32BIT_USERLAND', detail: 'armv7l, 32-bit userland' }])
    const err = preflightError(v)
    expect(err?.code).toBe('RUNTIME_32BIT_USERLAND')
    expect(err?.message).toBe('This unit runs 32-bit Raspberry Pi OS; ONNX Runtime has no 32-bit ARM build. Flash the 64-bit Raspberry Pi OS and try again.')
    expect(errorMessage('RUNTIME_32BIT_USERLAND', 'zh')).toContain('64 位')
  })

  it('refuses 32-bit userland even when the kernel is 64-bit (Pi 4 with 32-bit OS: uname says aarch64)', () => {
    const v = judgePreflight({ ...pi4Bookworm64, longBit: '32\n' }, bundle)
    expect(v.problems.map((p) => p.code)).toEqual(['RUNTIME_32BIT_USERLAND'])
  })

  it('refuses a Pi Zero / Pi 1 (armv6l)', () => {
    const v = judgePreflight({ ...pi4Bookworm64, arch: 'armv6l\n', longBit: '32\n' }, bundle)
    expect(v.problems[0]?.code).toBe('RUNTIME_32BIT_USERLAND')
  })

  it('refuses an architecture with no runtime', () => {
    const v = judgePreflight({ ...pi4Bookworm64, arch: 'riscv64\n' }, bundle)
    expect(v.problems).toEqual([{ code: 'RUNTIME_ARCH_UNSUPPORTED', detail: 'riscv64' }])
  })

  it('accepts glibc 2.28 (buster) and refuses 2.24 (stretch)', () => {
    expect(judgePreflight({ ...pi4Bookworm64, libc: 'ldd (Debian GLIBC 2.28-10+rpt2+rpi1+deb10u2) 2.28\n' }, bundle).ok).toBe(true)
    const old = judgePreflight({ ...pi4Bookworm64, libc: 'ldd (Debian GLIBC 2.24-11+deb9u4) 2.24\n' }, bundle)
    expect(old.problems).toEqual([{ code: 'RUNTIME_GLIBC_TOO_OLD', detail: 'glibc 2.24' }])
  })

  it('refuses musl (Alpine) as not glibc', () => {
    const v = judgePreflight({ ...pi4Bookworm64, libc: 'musl libc (aarch64)\nVersion 1.2.4\n' }, bundle)
    expect(v.problems[0]).toEqual({ code: 'RUNTIME_GLIBC_TOO_OLD', detail: 'not glibc: musl libc (aarch64)' })
  })

  it('refuses a full disk and says how much is free and needed', () => {
    const v = judgePreflight({ ...pi4Bookworm64, diskFree: `${DF_HEADER}104857600\n` }, bundle)
    expect(v.problems).toEqual([{ code: 'RUNTIME_DISK_FULL', detail: '100 MB free under /opt, 328 MB needed' }])
    // Only a model to push (runtime already there): the margin alone must fit.
    expect(judgePreflight({ ...pi4Bookworm64, diskFree: `${DF_HEADER}${DISK_MARGIN_BYTES + 1}\n` }, 0).ok).toBe(true)
  })

  it('lists every problem, most fundamental first, and the error carries the rest', () => {
    const v = judgePreflight({ arch: 'armv7l\n', longBit: '32\n', libc: 'ldd (Debian GLIBC 2.24-11+deb9u4) 2.24\n', diskFree: `${DF_HEADER}1000\n` }, bundle)
    expect(v.problems.map((p) => p.code)).toEqual(['RUNTIME_32BIT_USERLAND', 'RUNTIME_GLIBC_TOO_OLD', 'RUNTIME_DISK_FULL'])
    const err = preflightError(v)
    expect(err?.code).toBe('RUNTIME_32BIT_USERLAND')
    expect(String((err?.cause as Error).message)).toContain('RUNTIME_DISK_FULL')
  })

  it('says when it cannot read an answer instead of guessing', () => {
    const v = judgePreflight({ arch: '', longBit: 'getconf: Unrecognized variable', libc: 'sh: 1: ldd: not found', diskFree: "df: /opt: No such file or directory\n" }, bundle)
    expect(v.ok).toBe(false)
    expect(v.problems.every((p) => p.code === 'RUNTIME_PREFLIGHT_UNREADABLE')).toBe(true)
    expect(v.problems).toHaveLength(3)
  })

  it('refuses an unreadable LONG_BIT on a 64-bit machine name rather than assuming 64-bit', () => {
    const v = judgePreflight({ ...pi4Bookworm64, longBit: '\n' }, bundle)
    expect(v.problems.map((p) => p.code)).toEqual(['RUNTIME_PREFLIGHT_UNREADABLE'])
  })
})

describe('parsers', () => {
  it('reads glibc versions from several distributions', () => {
    expect(parseGlibc('ldd (GNU libc) 2.39\n').version).toBe('2.39')
    expect(parseGlibc('ldd (Ubuntu GLIBC 2.35-0ubuntu3.8) 2.35').version).toBe('2.35')
    expect(parseGlibc('ldd (Debian GLIBC 2.41-12) 2.41').version).toBe('2.41')
  })

  it('reads df -B1 --output=avail', () => {
    expect(parseDfAvail(' Avail\n 123\n')).toBe(123)
    expect(parseDfAvail(`Avail\n${64 * GB}`)).toBe(64 * GB)
    expect(parseDfAvail('df: /opt: No such file or directory')).toBeNull()
  })
})
