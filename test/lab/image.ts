// The lab's Pi image: Debian bookworm from packages, laid out like Raspberry Pi OS (FAT "bootfs"
// partition read on first boot + ext4 "rootfs"), cached per machine by a hash of its recipe.
import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import { join } from 'node:path'
import { type Arch, cacheDir, PI_HOSTNAME, PI_PASSWORD_HASH } from './config'
import { log, run, runSync, secs, which } from './util'

/** Bump when the build procedure changes in a way the recipe below does not show. */
const RECIPE_VERSION = 6
const BOOT_MIB = 256
const ROOT_MIB = 3072

const COMMON_PACKAGES = [
  'systemd', 'systemd-sysv', 'udev', 'dbus', 'libpam-systemd', 'openssh-server', 'sudo', 'python3',
  'avahi-daemon', 'libnss-mdns', 'iproute2', 'iputils-ping', 'procps', 'less', 'nano', 'kmod',
  'systemd-resolved', 'initramfs-tools', 'dosfstools', 'ca-certificates', 'curl', 'rsync', 'xz-utils', 'zstd', 'netbase',
  'qemu-guest-agent',
  // Raspberry Pi OS ships both: provisioning's time zone and locale steps need them.
  'tzdata', 'locales'
]
const KERNEL: Record<Arch, string> = { amd64: 'linux-image-amd64', arm64: 'linux-image-arm64' }

export function kernelCmdline(arch: Arch): string {
  const console = arch === 'amd64' ? 'ttyS0,115200' : 'ttyAMA0,115200'
  return `root=/dev/vda2 rootfstype=ext4 rw console=${console} net.ifnames=0 fsck.repair=yes quiet`
}

// Files the image carries. Kept here as text so they are part of the recipe hash.
const FILES: Record<string, string> = {
  '/etc/hosts': `127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n\n127.0.1.1\t\t${PI_HOSTNAME}\n`,
  '/etc/hostname': `${PI_HOSTNAME}\n`,
  '/etc/fstab': 'LABEL=bootfs  /boot/firmware  vfat  defaults,nofail  0  2\nLABEL=rootfs  /  ext4  defaults,noatime  0  1\n',
  '/etc/sudoers.d/010_pi-nopasswd': 'pi ALL=(ALL) NOPASSWD: ALL\n',
  '/etc/rpi-issue': 'Raspberry Pi reference (EdgeDock lab image: Debian bookworm, virtual Pi)\n',
  '/etc/systemd/network/10-eth.network':
    '[Match]\nName=eth0 en*\n\n[Network]\nDHCP=ipv4\nLinkLocalAddressing=no\n\n[DHCPv4]\nClientIdentifier=mac\nUseDomains=yes\n',
  '/etc/avahi/services/ssh.service':
    '<?xml version="1.0" standalone=\'no\'?>\n<!DOCTYPE service-group SYSTEM "avahi-service.dtd">\n<service-group>\n  <name replace-wildcards="yes">%h</name>\n  <service>\n    <type>_ssh._tcp</type>\n    <port>22</port>\n  </service>\n</service-group>\n',
  '/etc/systemd/system/regenerate_ssh_host_keys.service':
    '[Unit]\nDescription=Regenerate SSH host keys (first boot)\nBefore=ssh.service\nDefaultDependencies=no\nAfter=local-fs.target\n\n[Service]\nType=oneshot\nExecStart=/usr/bin/ssh-keygen -A\n\n[Install]\nWantedBy=multi-user.target\nRequiredBy=ssh.service\n',
  '/etc/systemd/system/rpi-firstboot.service':
    '[Unit]\nDescription=Apply settings left on the boot partition (userconf.txt, ssh, firstrun.sh)\nRequiresMountsFor=/boot/firmware\nAfter=local-fs.target\nBefore=ssh.service\n\n[Service]\nType=oneshot\nExecStart=/usr/local/sbin/rpi-firstboot\n\n[Install]\nWantedBy=multi-user.target\n',
  '/usr/local/sbin/rpi-firstboot': `#!/bin/sh
# Reads what Raspberry Pi Imager (or EdgeDock's flasher) leaves on the boot partition, as Raspberry
# Pi OS does on first boot: userconf.txt (user:crypted-password), ssh / ssh.txt, firstrun.sh.
B=/boot/firmware
[ -d "$B" ] || exit 0
for f in "$B/userconf.txt" "$B/userconf"; do
  [ -f "$f" ] || continue
  line=$(head -n1 "$f" | tr -d '\\r')
  user=\${line%%:*}
  hash=\${line#*:}
  if [ -n "$user" ] && [ "$user" != pi ] && id pi >/dev/null 2>&1 && ! id "$user" >/dev/null 2>&1; then
    usermod -l "$user" -d "/home/$user" -m pi && groupmod -n "$user" pi
    sed -i "s/^pi /$user /" /etc/sudoers.d/010_pi-nopasswd
  fi
  [ -n "$hash" ] && [ "$hash" != "$line" ] && usermod -p "$hash" "$user"
  rm -f "$f"
  echo "rpi-firstboot: applied $f for $user"
done
for f in "$B/ssh" "$B/ssh.txt"; do
  [ -e "$f" ] && { systemctl enable ssh >/dev/null 2>&1; rm -f "$f"; echo "rpi-firstboot: ssh enabled"; }
done
if [ -f "$B/firstrun.sh" ]; then
  echo "rpi-firstboot: running firstrun.sh"
  bash "$B/firstrun.sh" >/var/log/rpi-firstrun.log 2>&1 || echo "rpi-firstboot: firstrun.sh failed"
  rm -f "$B/firstrun.sh"
fi
exit 0
`,
  '/etc/default/locale': 'LANG=C.UTF-8\n',
  '/etc/initramfs-tools/conf.d/edgedock-lab': 'MODULES=list\n',
  '/etc/initramfs-tools/modules': 'virtio_pci\nvirtio_mmio\nvirtio_blk\next4\n',
  // DNS from DHCP through resolved; mDNS is avahi's job (as on Raspberry Pi OS), so resolved stays out of it
  '/etc/systemd/resolved.conf.d/10-lab.conf': '[Resolve]\nMulticastDNS=no\nLLMNR=no\n',
  '/etc/systemd/journald.conf.d/10-lab.conf': '[Journal]\nStorage=persistent\n'
}

const CUSTOMIZE = `set -eu
R="$1"
chroot "$R" useradd -m -U -u 1000 -s /bin/bash -p '${PI_PASSWORD_HASH}' pi
for g in spi i2c gpio netdev render input; do chroot "$R" groupadd -f "$g"; done
chroot "$R" usermod -aG adm,dialout,cdrom,sudo,audio,video,plugdev,games,users,input,render,netdev,spi,i2c,gpio,systemd-journal pi
chmod 0440 "$R/etc/sudoers.d/010_pi-nopasswd"
chmod 0755 "$R/usr/local/sbin/rpi-firstboot"
sed -i -e 's/^#\\?publish-workstation=.*/publish-workstation=yes/' "$R/etc/avahi/avahi-daemon.conf"
grep -q '^publish-workstation=yes' "$R/etc/avahi/avahi-daemon.conf"
chroot "$R" systemctl enable systemd-networkd.service systemd-resolved.service regenerate_ssh_host_keys.service rpi-firstboot.service ssh.service avahi-daemon.service
chroot "$R" systemctl mask systemd-networkd-wait-online.service apt-daily.timer apt-daily-upgrade.timer
mkdir -p "$R/boot/firmware" "$R/var/log/journal"
# never the build host's resolver: DNS comes from the lab's DHCP server
rm -f "$R/etc/resolv.conf"
ln -s ../run/systemd/resolve/stub-resolv.conf "$R/etc/resolv.conf"
# Slim the kernel's modules (no GPU, sound, wireless, media): faster image build and boot.
for d in "$R"/lib/modules/*/kernel; do
  rm -rf "$d/drivers/gpu" "$d/drivers/net/wireless" "$d/drivers/media" "$d/drivers/infiniband" "$d/sound" "$d/drivers/staging" "$d/drivers/net/ethernet" "$d/drivers/bluetooth" "$d/net/wireless" "$d/net/mac80211"
done
for k in "$R"/lib/modules/*; do chroot "$R" depmod -a "$(basename "$k")"; done
chroot "$R" update-initramfs -u -k all
# First boot makes the host keys and machine-id (or every Pi would share them).
rm -f "$R"/etc/ssh/ssh_host_*
: > "$R/etc/machine-id"
rm -f "$R/var/lib/dbus/machine-id"
rm -rf "$R"/var/lib/apt/lists/* "$R"/var/cache/apt/*.bin "$R"/var/cache/apt/archives/*.deb "$R"/var/log/*.log
`

export interface ImageInfo {
  arch: Arch
  hash: string
  dir: string
  base: string
  kernel: string
  initrd: string
  cmdline: string
}

export function recipeHash(arch: Arch): string {
  const recipe = JSON.stringify({
    RECIPE_VERSION, arch, packages: [...COMMON_PACKAGES, KERNEL[arch]], FILES, CUSTOMIZE,
    cmdline: kernelCmdline(arch), BOOT_MIB, ROOT_MIB
  })
  return createHash('sha256').update(recipe).digest('hex').slice(0, 16)
}

export function imageInfo(arch: Arch): ImageInfo {
  const hash = recipeHash(arch)
  const dir = join(cacheDir(), 'images', `${arch}-${hash}`)
  return {
    arch, hash, dir, base: join(dir, 'base.qcow2'), kernel: join(dir, 'vmlinuz'), initrd: join(dir, 'initrd.img'),
    cmdline: kernelCmdline(arch)
  }
}

export function imageExists(arch: Arch): boolean {
  const info = imageInfo(arch)
  return fs.existsSync(join(info.dir, 'meta.json'))
}

/** Host apt sources, so the image comes from the same mirror apt on this machine uses. */
function hostSources(): string[] {
  const out: string[] = []
  if (fs.existsSync('/etc/apt/sources.list')) out.push('/etc/apt/sources.list')
  const d = '/etc/apt/sources.list.d'
  if (fs.existsSync(d)) {
    for (const f of fs.readdirSync(d).sort()) if (f.endsWith('.sources') || f.endsWith('.list')) out.push(join(d, f))
  }
  return out
}

function mbr(parts: { type: number; startSector: number; sectors: number }[]): Buffer {
  const b = Buffer.alloc(512)
  b.writeUInt32LE(0xed9ed0c4, 440) // disk identifier (PARTUUID prefix)
  parts.forEach((p, i) => {
    const o = 446 + i * 16
    b[o] = 0
    b.writeUIntLE(0xfffffe, o + 1, 3)
    b[o + 4] = p.type
    b.writeUIntLE(0xfffffe, o + 5, 3)
    b.writeUInt32LE(p.startSector, o + 8)
    b.writeUInt32LE(p.sectors, o + 12)
  })
  b[510] = 0x55
  b[511] = 0xaa
  return b
}

export async function buildImage(arch: Arch, opts: { force?: boolean } = {}): Promise<{ info: ImageInfo; built: boolean; ms: number }> {
  const info = imageInfo(arch)
  const t0 = Date.now()
  if (!opts.force && imageExists(arch)) return { info, built: false, ms: 0 }
  for (const tool of ['mmdebstrap', 'mkfs.ext4', 'mkfs.vfat', 'mcopy', 'qemu-img']) {
    if (!which(tool)) throw new Error(`image build needs ${tool} (see .ci/apt-packages.txt)`)
  }
  if (arch !== 'amd64' && process.arch === 'x64') ensureBinfmt(arch)
  fs.mkdirSync(join(cacheDir(), 'images'), { recursive: true })
  const tmp = `${info.dir}.tmp-${process.pid}`
  fs.rmSync(tmp, { recursive: true, force: true })
  fs.mkdirSync(tmp, { recursive: true })
  try {
    const rootDir = join(tmp, 'rootfs')
    const hookDir = join(tmp, 'hooks')
    fs.mkdirSync(hookDir)
    // Files go in with a setup of their own, after packages are installed (customize hook).
    const filesDir = join(tmp, 'files')
    for (const [p, content] of Object.entries(FILES)) {
      fs.mkdirSync(join(filesDir, p, '..'), { recursive: true })
      fs.writeFileSync(join(filesDir, p), content)
    }
    fs.writeFileSync(join(hookDir, 'customize.sh'), CUSTOMIZE)
    log(`building ${arch} image ${info.hash} (mmdebstrap; a few minutes)`)
    const sources = hostSources()
    const args = [
      '--variant=apt', `--arch=${arch}`, '--mode=root', '--format=directory',
      `--include=${[...COMMON_PACKAGES, KERNEL[arch]].join(',')}`,
      '--dpkgopt=path-exclude=/usr/share/man/*', '--dpkgopt=path-exclude=/usr/share/locale/*',
      // locale-gen and localedef read the alias file (provisioning's locale step)
      '--dpkgopt=path-include=/usr/share/locale/locale.alias',
      '--dpkgopt=path-exclude=/usr/share/doc/*', '--dpkgopt=path-include=/usr/share/doc/*/copyright',
      '--aptopt=Acquire::Retries "3"',
      // our files first (so initramfs-tools sees its config), then the customize script
      `--customize-hook=cp -a ${filesDir}/. "$1"/`,
      `--customize-hook=sh ${join(hookDir, 'customize.sh')} "$1"`,
      'bookworm', rootDir, ...(sources.length ? sources : [])
    ]
    await run('mmdebstrap', args, { inherit: !!process.env.EDGEDOCK_LAB_VERBOSE })
    log(`rootfs ready after ${secs(Date.now() - t0)}; making partitions`)
    const bootDir = join(rootDir, 'boot')
    const vmlinuz = fs.readdirSync(bootDir).find((f) => f.startsWith('vmlinuz-'))
    const initrd = fs.readdirSync(bootDir).find((f) => f.startsWith('initrd.img-'))
    if (!vmlinuz || !initrd) throw new Error('kernel or initrd missing from the rootfs')
    fs.copyFileSync(join(bootDir, vmlinuz), join(tmp, 'vmlinuz'))
    fs.copyFileSync(join(bootDir, initrd), join(tmp, 'initrd.img'))
    // FAT boot partition, as on Raspberry Pi OS (bookworm mounts it at /boot/firmware)
    const bootImg = join(tmp, 'boot.img')
    runSync('mkfs.vfat', ['-F', '32', '-n', 'bootfs', '-C', bootImg, String(BOOT_MIB * 1024)])
    const bootFiles: Record<string, string> = {
      'cmdline.txt': `${kernelCmdline(arch)}\n`,
      'config.txt': '# EdgeDock lab virtual Pi: QEMU boots the kernel directly; kept for tools that read it.\narm_64bit=1\nenable_uart=1\n',
      'issue.txt': `EdgeDock lab image (Debian bookworm ${arch}), recipe ${info.hash}\n`
    }
    const bootSrc = join(tmp, 'bootfiles')
    fs.mkdirSync(bootSrc)
    for (const [name, content] of Object.entries(bootFiles)) {
      fs.writeFileSync(join(bootSrc, name), content)
      runSync('mcopy', ['-i', bootImg, join(bootSrc, name), `::${name}`])
    }
    fs.rmSync(bootSrc, { recursive: true, force: true })
    const rootImg = join(tmp, 'root.img')
    runSync('mkfs.ext4', ['-q', '-L', 'rootfs', '-d', rootDir, '-E', 'root_owner=0:0', rootImg, `${ROOT_MIB}M`])
    fs.rmSync(rootDir, { recursive: true, force: true })
    const raw = join(tmp, 'disk.raw')
    const total = (1 + BOOT_MIB + ROOT_MIB) * 1024 * 1024
    const fd = fs.openSync(raw, 'w')
    fs.ftruncateSync(fd, total)
    fs.writeSync(fd, mbr([
      { type: 0x0c, startSector: 2048, sectors: BOOT_MIB * 2048 },
      { type: 0x83, startSector: 2048 + BOOT_MIB * 2048, sectors: ROOT_MIB * 2048 }
    ]), 0, 512, 0)
    fs.closeSync(fd)
    runSync('dd', [`if=${bootImg}`, `of=${raw}`, 'bs=1M', 'seek=1', 'conv=notrunc,sparse', 'status=none'])
    runSync('dd', [`if=${rootImg}`, `of=${raw}`, 'bs=1M', `seek=${1 + BOOT_MIB}`, 'conv=notrunc,sparse', 'status=none'])
    fs.rmSync(bootImg)
    fs.rmSync(rootImg)
    await run('qemu-img', ['convert', '-O', 'qcow2', raw, join(tmp, 'base.qcow2')])
    fs.rmSync(raw)
    fs.rmSync(hookDir, { recursive: true, force: true })
    fs.rmSync(filesDir, { recursive: true, force: true })
    fs.chmodSync(join(tmp, 'base.qcow2'), 0o444)
    const ms = Date.now() - t0
    fs.writeFileSync(join(tmp, 'meta.json'), JSON.stringify({ arch, hash: info.hash, builtAt: new Date().toISOString(), buildMs: ms }, null, 2))
    fs.rmSync(info.dir, { recursive: true, force: true })
    fs.renameSync(tmp, info.dir)
    // older recipes of this arch are of no further use: keep the cache to one image per arch
    for (const d of fs.readdirSync(join(cacheDir(), 'images'))) {
      if (d.startsWith(`${arch}-`) && d !== `${arch}-${info.hash}` && !d.includes('.tmp-')) {
        fs.rmSync(join(cacheDir(), 'images', d), { recursive: true, force: true })
      }
    }
    log(`image built in ${secs(ms)}: ${info.base}`)
    return { info, built: true, ms }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true })
    throw e
  }
}

function ensureBinfmt(arch: Arch): void {
  const name = arch === 'arm64' ? 'qemu-aarch64' : arch
  if (!fs.existsSync('/proc/sys/fs/binfmt_misc/register')) {
    runSync('mount', ['-t', 'binfmt_misc', 'binfmt_misc', '/proc/sys/fs/binfmt_misc'], { allowFail: true })
  }
  if (!fs.existsSync(`/proc/sys/fs/binfmt_misc/${name}`)) {
    runSync('update-binfmts', ['--enable', name], { allowFail: true })
  }
  if (!fs.existsSync(`/proc/sys/fs/binfmt_misc/${name}`)) {
    throw new Error(`building an ${arch} image needs qemu-user-static with binfmt_misc (${name} not registered)`)
  }
}
