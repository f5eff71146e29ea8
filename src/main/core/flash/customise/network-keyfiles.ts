// NetworkManager keyfiles (Bookworm's network stack) for the Wi-Fi network and a static address.
// They are written to the boot partition as files and moved into place by the first-boot script,
// so no value is ever pasted into the script. Values follow GKeyFile escaping, and `;` in an SSID
// is escaped the way NetworkManager's own writer does it.
import { randomUUID } from 'node:crypto'
import type { CheckedSettings } from './boot-settings'

function keyfileValue(v: string, semicolons = false): string {
  let out = v.replaceAll('\\', '\\\\')
  if (semicolons) out = out.replaceAll(';', '\\;')
  // A leading space would be dropped by the parser.
  return out.replace(/^ /, '\\s')
}

function ipv4Lines(ip: CheckedSettings['staticIp']): string[] {
  if (!ip) return ['[ipv4]', 'method=auto']
  return [
    '[ipv4]',
    'method=manual',
    `address1=${ip.address}/${ip.prefix}${ip.gateway ? `,${ip.gateway}` : ''}`,
    ...(ip.dns.filter((d) => !d.includes(':')).length ? [`dns=${ip.dns.filter((d) => !d.includes(':')).join(';')};`] : [])
  ]
}

export function wifiKeyfile(s: CheckedSettings, uuid = randomUUID()): string | null {
  if (!s.wifi) return null
  const ip = s.staticIp?.interface === 'wlan0' ? s.staticIp : null
  return [
    '[connection]',
    'id=edgedock-wifi',
    `uuid=${uuid}`,
    'type=wifi',
    'interface-name=wlan0',
    'autoconnect=true',
    '',
    '[wifi]',
    'mode=infrastructure',
    `ssid=${keyfileValue(s.wifi.ssid, true)}`,
    ...(s.wifi.hidden ? ['hidden=true'] : []),
    '',
    '[wifi-security]',
    // WPA2 and WPA3-transition networks both take the PSK.
    'key-mgmt=wpa-psk',
    `psk=${s.wifi.psk}`,
    '',
    ...ipv4Lines(ip),
    '',
    '[ipv6]',
    'addr-gen-mode=default',
    'method=auto',
    ''
  ].join('\n')
}

export function ethernetKeyfile(s: CheckedSettings, uuid = randomUUID()): string | null {
  if (s.staticIp?.interface !== 'eth0') return null
  return ['[connection]', 'id=edgedock-eth0', `uuid=${uuid}`, 'type=ethernet', 'interface-name=eth0', 'autoconnect=true', 'autoconnect-priority=10', '', '[ethernet]', '', ...ipv4Lines(s.staticIp), '', '[ipv6]', 'addr-gen-mode=default', 'method=auto', ''].join('\n')
}
