// First-boot customisation end to end on real images: what lands on the boot partition is read
// back with mtools, checked with fsck.fat, sh -n, the yaml parser, openssl and ssh-keygen.
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { customiseBootPartition, readBootPartitionFacts, type BootSettings } from '../../../../src/main/core/flash'
import { FlashError } from '../../../../src/main/core/flash/flash-errors'
import { tempDir } from '../../../helpers/temp-dir'
import { buildPiBootImage, missingTools } from '../disk-image'
import { bootBytes, fsckFat, mdirNames, missingFatTools, mtype, run } from './fat-tools'

const missing = [...missingTools(), ...missingFatTools()]
const CMDLINE = 'console=serial0,115200 console=tty1 root=PARTUUID=5eed4321-02 rootfstype=ext4 fsck.repair=yes rootwait quiet init=/usr/lib/raspberrypi-sys-mods/firstboot\n'
const EDGEDOCK_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGnWs4THrLxN2jhsTcZQiEbBikdhN1CreHqcwEdNS5Zp edgedock@station'
const SSID = `o'brien "cafe" $(reboot);\`x\``

const settings: BootSettings = {
  hostname: 'unit-07',
  user: { name: 'edge', password: 'pa$$ word' },
  authorizedKeys: [EDGEDOCK_KEY],
  wifi: { country: 'gb', ssid: SSID, passphrase: 'correct horse battery' },
  locale: 'en_GB.UTF-8',
  keyboardLayout: 'gb',
  timezone: 'Europe/London',
  staticIp: { interface: 'eth0', address: '192.168.50.7/24', gateway: '192.168.50.1', dns: ['192.168.50.1', '1.1.1.1'] }
}

async function failure(p: Promise<unknown>): Promise<FlashError> {
  const err = await p.then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(FlashError)
  return err as FlashError
}

describe.skipIf(missing.length > 0)(`first-boot customisation${missing.length ? ` (skipped: missing ${missing.join(', ')})` : ''}`, () => {
  const tmp = tempDir('edgedock-customise-')
  afterAll(() => tmp.cleanup())
  const bookworm = (name: string, extra: Record<string, string> = {}) =>
    buildPiBootImage(tmp.dir, { fat: 32, fatMiB: 40, files: { 'cmdline.txt': CMDLINE, 'config.txt': 'arm_64bit=1\n', ...extra } }, name)
  const trixie = (name: string) =>
    buildPiBootImage(tmp.dir, { fat: 16, fatMiB: 16, files: { 'cmdline.txt': CMDLINE, 'user-data': '#cloud-config\n{}\n', 'meta-data': 'instance-id: rpios-image\n', 'network-config': 'network:\n  version: 2\n' } }, name)

  it('reads the facts of a Bookworm and a cloud-init boot partition', async () => {
    const b = await readBootPartitionFacts(bookworm('facts-b.img'))
    expect(b).toMatchObject({ fatType: 32, label: 'BOOTFS', offset: 1024 * 1024, mechanism: 'firstrun', cmdline: CMDLINE, firstrunPending: false })
    expect(b.files.sort()).toEqual(['cmdline.txt', 'config.txt'])
    const t = await readBootPartitionFacts(trixie('facts-t.img'))
    expect(t).toMatchObject({ fatType: 16, mechanism: 'cloud-init' })
    expect(t.files).toContain('network-config')
  })

  it('writes a Bookworm firstrun.sh Imager-style, edits cmdline.txt once, and stays idempotent', async () => {
    const image = bookworm('firstrun.img')
    const salt = 'edgedockSALT0001'
    const first = await customiseBootPartition(image, settings, { salt })
    expect(first.mechanism).toBe('firstrun')
    expect(first.filesWritten).toEqual([
      'edgedock-ssh-host-ed25519-key',
      'edgedock-ssh-host-ed25519-key.pub',
      'edgedock-authorized-keys',
      'edgedock-wifi.nmconnection',
      'edgedock-eth0.nmconnection',
      'firstrun.sh',
      'cmdline.txt'
    ])
    const second = await customiseBootPartition(image, settings, { salt })
    expect(second.hostKey!.fingerprint).not.toBe(first.hostKey!.fingerprint)

    const names = mdirNames(image)
    expect(names.sort()).toEqual([...second.filesWritten, 'config.txt'].sort())
    const cmdline = mtype(image, 'cmdline.txt').toString()
    expect(cmdline).toBe(`${CMDLINE.trim()} cfg80211.ieee80211_regdom=GB systemd.run=/boot/firstrun.sh systemd.run_success_action=reboot systemd.unit=kernel-command-line.target\n`)
    expect(cmdline.match(/systemd\.run=/g)).toHaveLength(1)
    expect((await readBootPartitionFacts(image)).firstrunPending).toBe(true)

    const script = mtype(image, 'firstrun.sh').toString()
    writeFileSync(path.join(tmp.dir, 'firstrun.sh'), script)
    // dash is /bin/sh on Raspberry Pi OS: the script must parse there.
    run('sh', ['-n', path.join(tmp.dir, 'firstrun.sh')])
    expect(script.startsWith('#!/bin/sh\n')).toBe(true)
    expect(script).toContain('/usr/lib/raspberrypi-sys-mods/imager_custom set_hostname unit-07')
    expect(script).toContain("printf '%s\\n' unit-07 >/etc/hostname")
    // The hash goes in single quotes: its $ signs must reach userconf as they are.
    const hash = run('openssl', ['passwd', '-6', '-salt', salt, 'pa$$ word']).trim()
    expect(script).toContain(`/usr/lib/userconf-pi/userconf edge '${hash}'`)
    expect(script).not.toContain('pa$$ word')
    expect(script).toContain('systemctl mask regenerate_ssh_host_keys.service')
    expect(script).toContain('install -o root -g root -m 600 "$BOOT/edgedock-ssh-host-ed25519-key" /etc/ssh/ssh_host_ed25519_key')
    expect(script).toContain('install -o root -g root -m 644 "$BOOT/edgedock-ssh-host-ed25519-key.pub" /etc/ssh/ssh_host_ed25519_key.pub')
    expect(script).toContain('rm -f "$BOOT/edgedock-ssh-host-ed25519-key" "$BOOT/edgedock-ssh-host-ed25519-key.pub"')
    expect(script).toContain('raspi-config nonint do_change_locale en_GB.UTF-8')
    expect(script).toContain('imager_custom set_timezone Europe/London')
    expect(script).toContain('imager_custom set_keymap gb')
    // Self-removal: the script and its three cmdline words, nothing else.
    expect(script).toContain('rm -f "$BOOT/firstrun.sh"')
    expect(script).toMatch(/sed -i 's\| systemd\.run=\[\^ \]\*\|\|g; .*kernel-command-line\.target\|\|g' "\$BOOT\/cmdline\.txt"\nexit 0\n$/)
    // No Wi-Fi data in the script at all: the keyfile carries it.
    expect(script).not.toContain('brien')
    const restored = run('sed', ['s| systemd.run=[^ ]*||g; s| systemd.run_success_action=[^ ]*||g; s| systemd.unit=kernel-command-line.target||g'], cmdline)
    expect(restored).toBe(`${CMDLINE.trim()} cfg80211.ieee80211_regdom=GB\n`)

    const keyfile = mtype(image, 'edgedock-wifi.nmconnection').toString()
    // 802.11i test vector style: PBKDF2-HMAC-SHA1(passphrase, ssid, 4096, 32), checked with openssl.
    const psk = run('openssl', ['kdf', '-keylen', '32', '-kdfopt', 'digest:SHA1', '-kdfopt', 'pass:correct horse battery', '-kdfopt', `salt:${SSID}`, '-kdfopt', 'iter:4096', 'PBKDF2'])
      .trim()
      .replaceAll(':', '')
      .toLowerCase()
    expect(keyfile).toContain(`psk=${psk}\n`)
    expect(keyfile).toContain(`ssid=o'brien "cafe" $(reboot)\\;\`x\`\n`)
    expect(mtype(image, 'edgedock-eth0.nmconnection').toString()).toContain('address1=192.168.50.7/24,192.168.50.1\ndns=192.168.50.1;1.1.1.1;\n')
    expect(mtype(image, 'edgedock-authorized-keys').toString()).toBe(`${EDGEDOCK_KEY}\n`)

    // The staged host key is a real OpenSSH key whose fingerprint is the one returned for pinning.
    const keyFile = path.join(tmp.dir, 'host_key')
    writeFileSync(keyFile, mtype(image, 'edgedock-ssh-host-ed25519-key'), { mode: 0o600 })
    const derived = run('ssh-keygen', ['-y', '-f', keyFile]).trim().split(' ').slice(0, 2)
    expect(derived).toEqual(second.hostKey!.publicKey.split(' ').slice(0, 2))
    expect(run('ssh-keygen', ['-l', '-f', keyFile])).toContain(second.hostKey!.fingerprint)
    expect(mtype(image, 'edgedock-ssh-host-ed25519-key.pub').toString().trim()).toBe(second.hostKey!.publicKey)
    expect(second.hostKey).toMatchObject({ algorithm: 'ssh-ed25519', fingerprint: expect.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/) })

    const fsck = fsckFat(image, 40)
    expect(fsck.status, fsck.output).toBe(0)
  })

  it('removes staged secrets a later customisation no longer needs', async () => {
    const image = bookworm('restage.img')
    await customiseBootPartition(image, settings)
    const again = await customiseBootPartition(image, { hostname: 'unit-08', hostKey: false })
    expect(again.hostKey).toBeNull()
    expect(again.filesDeleted.sort()).toEqual(['edgedock-authorized-keys', 'edgedock-eth0.nmconnection', 'edgedock-ssh-host-ed25519-key', 'edgedock-ssh-host-ed25519-key.pub', 'edgedock-wifi.nmconnection'])
    expect(mdirNames(image).sort()).toEqual(['cmdline.txt', 'config.txt', 'firstrun.sh'])
    expect(mtype(image, 'firstrun.sh').toString()).not.toContain('ssh_host_ed25519_key')
    expect(fsckFat(image, 40).status).toBe(0)
  })

  it('writes cloud-init files that parse as YAML and carry every value exactly', async () => {
    const image = trixie('cloud.img')
    const result = await customiseBootPartition(image, settings, { salt: 'cloudSALT' })
    expect(result.mechanism).toBe('cloud-init')
    expect(result.filesWritten).toEqual(['edgedock-ssh-host-ed25519-key', 'edgedock-ssh-host-ed25519-key.pub', 'network-config', 'cmdline.txt', 'user-data'])
    const userData = mtype(image, 'user-data').toString()
    expect(userData.startsWith('#cloud-config\n')).toBe(true)
    const doc = parse(userData)
    const hash = run('openssl', ['passwd', '-6', '-salt', 'cloudSALT', 'pa$$ word']).trim()
    expect(doc).toMatchObject({
      hostname: 'unit-07',
      manage_etc_hosts: true,
      timezone: 'Europe/London',
      locale: 'en_GB.UTF-8',
      keyboard: { model: 'pc105', layout: 'gb' },
      enable_ssh: true,
      ssh_pwauth: true,
      ssh_deletekeys: false,
      users: [{ name: 'edge', passwd: hash, lock_passwd: false, ssh_authorized_keys: [EDGEDOCK_KEY] }]
    })
    const bootcmd = doc.bootcmd[0] as string[]
    expect(bootcmd.slice(0, 2)).toEqual(['sh', '-c'])
    writeFileSync(path.join(tmp.dir, 'bootcmd.sh'), bootcmd[2]!)
    run('sh', ['-n', path.join(tmp.dir, 'bootcmd.sh')])
    expect(bootcmd[2]).toContain('install -o root -g root -m 600 "$BOOT/edgedock-ssh-host-ed25519-key" /etc/ssh/ssh_host_ed25519_key')

    const net = parse(mtype(image, 'network-config').toString())
    expect(net.network.version).toBe(2)
    expect(net.network.ethernets.eth0).toEqual({
      dhcp4: false,
      addresses: ['192.168.50.7/24'],
      routes: [{ to: 'default', via: '192.168.50.1' }],
      nameservers: { addresses: ['192.168.50.1', '1.1.1.1'] }
    })
    expect(Object.keys(net.network.wifis.wlan0['access-points'])).toEqual([SSID])
    expect(net.network.wifis.wlan0['regulatory-domain']).toBe('GB')
    expect(net.network.wifis.wlan0['access-points'][SSID].password).toMatch(/^[0-9a-f]{64}$/)
    // The image's own meta-data stays; cmdline.txt gets the regulatory domain and no firstrun words.
    expect(mtype(image, 'meta-data').toString()).toBe('instance-id: rpios-image\n')
    expect(mtype(image, 'cmdline.txt').toString()).toBe(`${CMDLINE.trim()} cfg80211.ieee80211_regdom=GB\n`)
    expect(mdirNames(image)).not.toContain('firstrun.sh')
    expect(fsckFat(image, 16).status).toBe(0)
  })

  it('refuses hostile or malformed values before opening the image', async () => {
    const image = bookworm('hostile.img')
    const snapshot = bootBytes(image, 40)
    const bad: [string, BootSettings][] = [
      ['hostname with ;', { hostname: 'a;reboot' }],
      ['hostname with $()', { hostname: '$(reboot)' }],
      ['hostname with a space', { hostname: 'unit 1' }],
      ['hostname with a newline', { hostname: 'unit\nreboot' }],
      ['user with a quote', { user: { name: "edge'; reboot" } }],
      ['root', { user: { name: 'root', password: 'x' } }],
      ['password with a newline', { user: { name: 'edge', password: 'a\nb' } }],
      ['bad hash', { user: { name: 'edge', passwordHash: '$1$abc$def' } }],
      ['SSID with a newline', { wifi: { country: 'GB', ssid: 'net\nx', passphrase: '12345678' } }],
      ['SSID too long', { wifi: { country: 'GB', ssid: 'x'.repeat(33), passphrase: '12345678' } }],
      ['short passphrase', { wifi: { country: 'GB', ssid: 'net', passphrase: '1234567' } }],
      ['country', { wifi: { country: 'G1', ssid: 'net', passphrase: '12345678' } }],
      ['time zone path', { timezone: '../../etc/passwd' }],
      ['time zone with $', { timezone: 'Europe/$(x)' }],
      ['locale', { locale: "en_GB'; reboot" }],
      ['keyboard', { keyboardLayout: 'gb"; reboot' }],
      ['ssh key with a newline', { user: { name: 'edge' }, authorizedKeys: [`${EDGEDOCK_KEY}\nssh-rsa AAAA evil`] }],
      ['not an ssh key', { user: { name: 'edge' }, authorizedKeys: ['command="reboot" ssh-ed25519 AAAA'] }],
      ['static address', { staticIp: { interface: 'eth0', address: '192.168.1.300/24' } }],
      ['gateway', { staticIp: { interface: 'eth0', address: '192.168.1.3/24', gateway: '1.1.1.1; reboot' } }]
    ]
    for (const [what, s] of bad) {
      const err = await failure(customiseBootPartition(image, s))
      expect(err.code, what).toBe('FLASH_CUSTOMISE_INVALID')
    }
    expect(bootBytes(image, 40).equals(snapshot)).toBe(true)
  })

  it('says what is wrong with an image it cannot customise', async () => {
    const notPi = buildPiBootImage(tmp.dir, { fat: 16, fatMiB: 16, files: { 'readme.txt': 'hello\n' } }, 'not-pi.img')
    expect((await failure(customiseBootPartition(notPi, { hostname: 'x' }))).code).toBe('FLASH_BOOT_NOT_RASPBERRY_PI')
    const noFile = path.join(tmp.dir, 'nothing.img')
    expect((await failure(customiseBootPartition(noFile, { hostname: 'x' }))).code).toBe('FLASH_SOURCE_UNREADABLE')
    writeFileSync(path.join(tmp.dir, 'random.img'), randomBytes(64 * 1024))
    expect((await failure(readBootPartitionFacts(path.join(tmp.dir, 'random.img')))).code).toBe('FLASH_BOOT_PARTITION_MISSING')
  })

  it('refuses to customise a full boot partition and leaves it untouched and consistent', async () => {
    const image = buildPiBootImage(tmp.dir, { fat: 16, fatMiB: 16, files: { 'cmdline.txt': CMDLINE } }, 'full.img')
    const { freeBytes } = await readBootPartitionFacts(image)
    const { FatVolume } = await import('../../../../src/main/core/flash/customise/fat-volume')
    const { open } = await import('node:fs/promises')
    const fh = await open(image, 'r+')
    await (await FatVolume.open(fh, image)).writeFile('filler.bin', Buffer.alloc(freeBytes - 1024))
    await fh.close()
    const snapshot = bootBytes(image, 16)
    const err = await failure(customiseBootPartition(image, settings))
    expect(err.code).toBe('FLASH_BOOT_FAT_FULL')
    expect(bootBytes(image, 16).equals(snapshot)).toBe(true)
    expect(fsckFat(image, 16).status).toBe(0)
  })
})
