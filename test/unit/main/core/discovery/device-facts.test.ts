import { describe, expect, it } from 'vitest'
import { FACT_COMMANDS, parseDeviceFacts } from '../../../../../src/main/core/discovery/device-facts'
import { collectDeviceFacts } from '../../../../../src/main/core/discovery/collect-device-facts'
import { piFamily } from '../../../../../src/main/core/discovery/pi-model'
import type { CommandRunner } from '../../../../../src/main/core/discovery/ports'
import { fixture } from './fixture'

const pi4 = {
  deviceTreeModel: fixture('pi4-device-tree-model.bin'),
  deviceTreeSerial: fixture('pi4-device-tree-serial-number.bin'),
  cpuinfo: fixture('pi4-cpuinfo.txt'),
  osRelease: fixture('pi4-os-release.txt'),
  machine: 'aarch64\n',
  longBit: '64\n',
  meminfo: fixture('pi4-meminfo.txt'),
  rootDisk: fixture('pi4-df-root.txt'),
  thermal: '48312\n',
  hostname: 'door-unit-07\n'
}

describe('parseDeviceFacts', () => {
  it('reads a Raspberry Pi 4 running 64-bit Raspberry Pi OS', () => {
    expect(parseDeviceFacts(pi4)).toEqual({
      hostname: 'door-unit-07',
      model: 'Raspberry Pi 4 Model B Rev 1.4',
      isRaspberryPi: true,
      serial: '10000000a3c1f6e2',
      os: 'Debian GNU/Linux 12 (bookworm)',
      osRelease: { id: 'debian', versionId: '12', codename: 'bookworm', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
      arch: 'aarch64',
      userlandBits: 64,
      memBytes: 3885396 * 1024,
      diskBytes: 31068966912,
      diskFreeBytes: 25510944768,
      tempC: 48.3
    })
    expect(piFamily(parseDeviceFacts(pi4).model)).toBe('Pi 4')
  })

  it('tells a 32-bit userland on a 64-bit kernel (onnxruntime needs 64)', () => {
    const facts = parseDeviceFacts({ ...pi4, osRelease: fixture('pi-os-32bit-os-release.txt'), longBit: '32\n' })
    expect(facts).toMatchObject({ arch: 'aarch64', userlandBits: 32, os: 'Raspbian GNU/Linux 12 (bookworm)' })
  })

  it('falls back to cpuinfo when the device tree is unreadable', () => {
    const facts = parseDeviceFacts({ cpuinfo: pi4.cpuinfo })
    expect(facts.model).toBe('Raspberry Pi 4 Model B Rev 1.4')
    expect(facts.serial).toBe('10000000a3c1f6e2')
  })

  it("reads the lab's x86 virtual Pi from DMI, ignoring placeholder serials", () => {
    const facts = parseDeviceFacts({
      dmiProductName: 'Raspberry Pi 4 Model B Rev 1.4\n',
      dmiProductSerial: 'LAB-PI-0003\n',
      cpuinfo: 'processor\t: 0\nmodel name\t: QEMU Virtual CPU version 2.5+\n',
      machine: 'x86_64\n',
      longBit: '64\n',
      rootDisk: fixture('lab-df-root-wrapped.txt')
    })
    expect(facts).toMatchObject({
      model: 'Raspberry Pi 4 Model B Rev 1.4',
      isRaspberryPi: true,
      serial: 'LAB-PI-0003',
      arch: 'x86_64',
      diskBytes: 4160421888,
      diskFreeBytes: 2960408576,
      tempC: null,
      memBytes: null
    })
    expect(parseDeviceFacts({ dmiProductName: 'Standard PC (Q35 + ICH9, 2009)\n', dmiProductSerial: 'Not Specified\n' })).toMatchObject({
      isRaspberryPi: false,
      serial: null
    })
  })

  it('gives nulls, not errors, when nothing could be read', () => {
    expect(parseDeviceFacts({})).toMatchObject({ model: null, serial: null, os: null, userlandBits: null, isRaspberryPi: false })
  })
})

describe('FACT_COMMANDS', () => {
  it('are argument arrays, never shell strings', () => {
    for (const argv of Object.values(FACT_COMMANDS)) {
      expect(Array.isArray(argv)).toBe(true)
      for (const arg of argv) expect(arg).not.toMatch(/[;&|$`\s]/)
    }
    expect(FACT_COMMANDS.rootDisk).toEqual(['df', '-B1', '/'])
  })
})

describe('collectDeviceFacts', () => {
  it('runs each command through the runner and treats a failed one as absent', async () => {
    const files: Record<string, string> = {
      '/proc/device-tree/model': pi4.deviceTreeModel,
      '/etc/os-release': pi4.osRelease
    }
    const seen: string[][] = []
    const runner: CommandRunner = {
      async run(argv) {
        seen.push([...argv])
        if (argv[0] === 'cat' && files[argv[1]!] !== undefined) return { stdout: files[argv[1]!]!, stderr: '', exitCode: 0 }
        if (argv[0] === 'uname') return { stdout: 'aarch64\n', stderr: '', exitCode: 0 }
        return { stdout: '', stderr: 'No such file or directory', exitCode: 1 }
      }
    }
    const facts = await collectDeviceFacts(runner)
    expect(facts).toMatchObject({ model: 'Raspberry Pi 4 Model B Rev 1.4', arch: 'aarch64', os: 'Debian GNU/Linux 12 (bookworm)', serial: null })
    expect(seen).toContainEqual(['getconf', 'LONG_BIT'])
  })
})
