// What the Flash page and `edgedock flash` are told about each drive, and the first-boot settings as
// they leave the app: the verdicts come from the same rules the helper enforces; no device is touched.
import { describe, expect, it } from 'vitest'
import { parseLsblkDrives } from '../../../../../src/main/core/discovery/block-drives'
import { bootSettingsOf, createFlashService, type FlashServiceDeps } from '../../../../../src/main/core/flash/flash-service'
import type { TargetFacts } from '../../../../../src/main/core/flash/target-safety'

const drives = parseLsblkDrives(
  JSON.stringify({
    blockdevices: [
      { name: 'vda', path: '/dev/vda', size: 270582939648, rm: false, hotplug: false, type: 'disk', mountpoints: [null], children: [
        { name: 'vda1', path: '/dev/vda1', size: 270000000000, type: 'part', mountpoints: ['/'] }
      ] },
      { name: 'sdb', path: '/dev/sdb', size: 31914983424, rm: true, hotplug: true, tran: 'usb', model: 'SD Reader', type: 'disk', mountpoints: [null] },
      { name: 'sdc', path: '/dev/sdc', size: 31914983424, rm: true, hotplug: true, tran: 'usb', type: 'disk', mountpoints: [null], children: [
        { name: 'sdc1', path: '/dev/sdc1', size: 268435456, type: 'part', mountpoints: ['/media/pi/bootfs'] }
      ] },
      { name: 'sdd', path: '/dev/sdd', size: 256060514304, rm: true, hotplug: true, tran: 'usb', type: 'disk', mountpoints: [null] },
      { name: 'sde', path: '/dev/sde', size: 2e9, rm: true, hotplug: true, tran: 'usb', type: 'disk', mountpoints: [null] }
    ]
  })
)

function service(sourceDisk: string | null = null) {
  const deps = {
    listDrives: async () => drives,
    gatherFacts: async (target: string): Promise<TargetFacts> => ({
      target,
      kind: 'block',
      drive: drives.find((d) => d.path === target) ?? null,
      readOnly: false,
      sourceDisk,
      sameFileAsSource: false
    })
  } as unknown as FlashServiceDeps
  return createFlashService(deps)
}

const verdicts = async (opts: { imageSizeBytes?: number } = {}, sourceDisk: string | null = null) =>
  Object.fromEntries((await service(sourceDisk).drives(opts)).map((d) => [d.name, d.verdict]))

describe('flash drives', () => {
  it('gives each drive its verdict: system refused, mounted refused, over 128 GB warned, a card ok', async () => {
    const v = await verdicts()
    expect(v.vda).toMatchObject({ state: 'refused', code: 'FLASH_TARGET_SYSTEM_DRIVE' })
    expect(v.sdc).toMatchObject({ state: 'refused', code: 'FLASH_TARGET_MOUNTED' })
    expect(v.sdc!.detail).toContain('/media/pi/bootfs')
    expect(v.sdd).toMatchObject({ state: 'warn', code: 'FLASH_TARGET_LARGE_UNCONFIRMED' })
    expect(v.sdb).toEqual({ state: 'ok', code: null, detail: '' })
  })

  it('refuses a drive smaller than the image once its size is known, and the drive holding the source', async () => {
    const v = await verdicts({ imageSizeBytes: 4e9 }, 'sdb')
    expect(v.sde).toMatchObject({ state: 'refused', code: 'FLASH_TARGET_TOO_SMALL' })
    expect(v.sdb).toMatchObject({ state: 'refused', code: 'FLASH_TARGET_HOLDS_SOURCE' })
  })
})

describe('first-boot settings from the contract', () => {
  const key = () => 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGnWs4THrLxN2jhsTcZQiEbBikdhN1CreHqcwEdNS5Zp edgedock@station'

  it('hashes the password (never passes it on) and adds EdgeDock\'s key for the user', () => {
    const s = bootSettingsOf({ hostname: 'unit-1', user: { name: 'edge', password: 'hunter22' } }, key)
    expect(s.user).toEqual({ name: 'edge', passwordHash: expect.stringMatching(/^\$6\$/) })
    expect(JSON.stringify(s)).not.toContain('hunter22')
    expect(s.authorizedKeys).toEqual([key()])
    expect(bootSettingsOf({ user: { name: 'edge' }, edgedockKey: false }, key).authorizedKeys).toBeUndefined()
  })

  it('refuses a bad value with the field named', () => {
    expect(() => bootSettingsOf({ wifi: { country: 'GB', ssid: 'x', passphrase: 'short' } }, key)).toThrow(/Wi-Fi passphrase/)
    expect(() => bootSettingsOf({ hostname: 'bad_name!' }, key)).toThrow(/hostname|host name/i)
  })
})
