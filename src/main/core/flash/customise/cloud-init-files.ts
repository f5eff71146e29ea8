// cloud-init's NoCloud files on the boot partition (Raspberry Pi OS Trixie and newer), in the
// shape Raspberry Pi Imager writes them (customization_generator.cpp). They are built as objects
// and serialised by the yaml package, so an SSID with quotes or a colon stays one string value.
import type * as YamlModule from 'yaml'
import { lazyPackage } from '../../lazy-package'
import type { CheckedSettings } from './boot-settings'
import { hostKeyInstallLines } from './host-key-install'

const yaml = lazyPackage<typeof YamlModule>('yaml')

const GROUPS = 'users,adm,dialout,audio,netdev,video,plugdev,cdrom,games,input,gpio,spi,i2c,render,sudo'

// bootcmd runs before cloud-init's ssh module, which then keeps this key (ssh_deletekeys: false)
// and makes only the types still missing. The boot partition is /boot/firmware on these images.
const HOST_KEY_BOOTCMD = ['BOOT=/boot/firmware', ...hostKeyInstallLines()].join('\n')

export function cloudInitUserData(s: CheckedSettings, opts: { hostKey: boolean }): string {
  const doc: Record<string, unknown> = {}
  if (s.hostname) {
    doc.hostname = s.hostname
    doc.manage_etc_hosts = true
  }
  if (s.timezone) doc.timezone = s.timezone
  if (s.locale) doc.locale = s.locale
  if (s.keyboardLayout) doc.keyboard = { model: 'pc105', layout: s.keyboardLayout }
  if (s.user) {
    doc.enable_ssh = true
    const user: Record<string, unknown> = { name: s.user.name, groups: GROUPS, shell: '/bin/bash' }
    if (s.user.passwordHash) {
      user.lock_passwd = false
      user.passwd = s.user.passwordHash
    } else {
      user.lock_passwd = true
    }
    if (s.authorizedKeys.length > 0) {
      user.ssh_authorized_keys = s.authorizedKeys
      user.sudo = 'ALL=(ALL) NOPASSWD:ALL'
    }
    doc.users = [user]
    doc.ssh_pwauth = s.user.passwordHash !== null
  }
  if (opts.hostKey) {
    doc.ssh_deletekeys = false
    doc.bootcmd = [['sh', '-c', HOST_KEY_BOOTCMD]]
  }
  return `#cloud-config\n${yaml().stringify(doc, { lineWidth: 0 })}`
}

/** network-config (netplan v2), or null when there is nothing to say (the image's default stays). */
export function cloudInitNetworkConfig(s: CheckedSettings): string | null {
  if (!s.wifi && !s.staticIp) return null
  const addressing = (iface: 'eth0' | 'wlan0') => {
    const ip = s.staticIp?.interface === iface ? s.staticIp : null
    if (!ip) return { dhcp4: true }
    return {
      dhcp4: false,
      addresses: [`${ip.address}/${ip.prefix}`],
      ...(ip.gateway ? { routes: [{ to: 'default', via: ip.gateway }] } : {}),
      ...(ip.dns.length ? { nameservers: { addresses: ip.dns } } : {})
    }
  }
  const network: Record<string, unknown> = { version: 2 }
  if (s.staticIp?.interface === 'eth0') network.ethernets = { eth0: addressing('eth0') }
  if (s.wifi) {
    const ap: Record<string, unknown> = { password: s.wifi.psk }
    if (s.wifi.hidden) ap.hidden = true
    network.wifis = { wlan0: { ...addressing('wlan0'), 'regulatory-domain': s.wifi.country, 'access-points': { [s.wifi.ssid]: ap } } }
  }
  return yaml().stringify({ network }, { lineWidth: 0 })
}

/** NoCloud needs meta-data; an image without one gets a fresh instance id. */
export function cloudInitMetaData(instanceId: string): string {
  return yaml().stringify({ 'instance-id': instanceId })
}
