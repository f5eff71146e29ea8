// Wi-Fi through NetworkManager (Raspberry Pi OS Bookworm's network stack). A unit without a Wi-Fi
// device (a bench Pi on Ethernet, a virtual Pi) skips this step with a note rather than failing.
import * as z from 'zod'
import type { Text } from '../../../../shared/domain'
import { text } from '../../../../shared/texts'
import { defineStep } from '../step-kind'
import type { Change } from '../provision-types'

const params = z.strictObject({
  ssid: z.string().max(32, 'a Wi-Fi name (SSID) has at most 32 characters'),
  psk: z.string().refine((v) => v === '' || (v.length >= 8 && v.length <= 63), 'a WPA passphrase has 8 to 63 characters'),
  connection: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/).default('edgedock-wifi')
})
type P = z.infer<typeof params>

type Facts = { skip: Text } | { exists: false } | { exists: true; ssid: string; psk: string }

/** `nmcli -g` escapes ":" and "\" in values. */
const unescape = (v: string) => v.replace(/\\(.)/g, '$1')

export const wifiStep = defineStep<P, Facts>({
  kind: 'wifi',
  params,
  title: (p) => (p.ssid ? text('pstep.wifi', { ssid: p.ssid }) : text('pstep.wifiNone')),
  async check({ io }, p) {
    if (p.ssid === '') return { skip: text('note.noWifiGiven') }
    const devices = await io.read(['nmcli', '-t', '-f', 'TYPE', 'device'])
    if (devices.code === 127 || /not found/i.test(devices.stderr)) return { skip: text('note.noNmcli') }
    if (devices.code !== 0) return io.fail('Could not list the network devices', devices)
    if (!devices.stdout.split('\n').some((l) => l.trim() === 'wifi')) return { skip: text('note.noWifiDevice') }
    const argv = ['nmcli', '--show-secrets', '-g', '802-11-wireless.ssid,802-11-wireless-security.psk', 'connection', 'show', p.connection]
    const r = await io.read(argv, { sudo: true })
    if (r.code === 10) return { exists: false }
    if (r.code !== 0) return io.fail(`Could not read the Wi-Fi connection ${p.connection}`, r, argv)
    const [ssid = '', psk = ''] = r.stdout.split('\n').map(unescape)
    return { exists: true, ssid, psk }
  },
  plan(f, p) {
    if ('skip' in f) return { skip: f.skip }
    const changes: Change[] = []
    // The passphrase is never shown, only whether it changes.
    if (!f.exists) {
      changes.push({ field: 'Wi-Fi network', from: null, to: p.ssid })
      if (p.psk) changes.push({ field: 'Wi-Fi passphrase', from: null, to: '***' })
    } else {
      if (f.ssid !== p.ssid) changes.push({ field: 'Wi-Fi network', from: f.ssid || null, to: p.ssid })
      if (f.psk !== p.psk) changes.push({ field: 'Wi-Fi passphrase', from: f.psk ? '***' : null, to: p.psk ? '*** (new)' : '(none)' })
    }
    return { changes }
  },
  async apply({ io }, p, f) {
    if ('skip' in f) return
    const security = p.psk ? ['wifi-sec.key-mgmt', 'wpa-psk', 'wifi-sec.psk', p.psk] : []
    const argv = f.exists
      ? ['nmcli', 'connection', 'modify', p.connection, '802-11-wireless.ssid', p.ssid, ...security]
      : ['nmcli', 'connection', 'add', 'type', 'wifi', 'con-name', p.connection, 'ifname', '*', 'ssid', p.ssid, ...security, 'connection.autoconnect', 'yes']
    await io.must(argv, `Could not save the Wi-Fi connection for ${p.ssid}`, { sudo: true })
  }
})
