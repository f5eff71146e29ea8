// What a unit is told before its first boot, and the checks every value passes before it goes near
// a script, a YAML file or a keyfile. Patterns are deliberately narrow: a value that fails one is
// refused with the field's name, never "cleaned up" into something the user did not type.
import { isIP, isIPv4 } from 'node:net'
import { FlashError } from '../flash-errors'
import { isSha512CryptHash, sha512Crypt } from './sha512-crypt'
import { wpaPsk } from './wifi-psk'

export interface BootSettings {
  hostname?: string
  user?: {
    name: string
    /** Plain text: hashed here with SHA-512 crypt, never written. */
    password?: string
    /** Or a ready `$6$` hash. */
    passwordHash?: string
  }
  /** OpenSSH public keys for the user's authorized_keys (EdgeDock's own key among them). */
  authorizedKeys?: string[]
  wifi?: {
    /** ISO 3166 alpha-2 regulatory domain, e.g. GB. */
    country: string
    ssid: string
    /** 8 to 63 characters; or give `psk`, the 64-hex key itself. */
    passphrase?: string
    psk?: string
    hidden?: boolean
  }
  /** e.g. en_GB.UTF-8 */
  locale?: string
  /** XKB layout, e.g. gb, us, de */
  keyboardLayout?: string
  /** e.g. Europe/London */
  timezone?: string
  staticIp?: {
    interface: 'eth0' | 'wlan0'
    /** IPv4 address with its prefix: 192.168.1.50/24 */
    address: string
    gateway?: string
    dns?: string[]
  }
  /** Make the unit's SSH host key here, so it can be pinned before the first boot (default true). */
  hostKey?: boolean
}

/** Settings after checking, with the secrets already turned into what is stored on the unit. */
export interface CheckedSettings {
  hostname: string | null
  user: { name: string; passwordHash: string | null } | null
  authorizedKeys: string[]
  wifi: { country: string; ssid: string; psk: string; hidden: boolean } | null
  country: string | null
  locale: string | null
  keyboardLayout: string | null
  timezone: string | null
  staticIp: { interface: 'eth0' | 'wlan0'; address: string; prefix: number; gateway: string | null; dns: string[] } | null
  hostKey: boolean
}

// RFC 1123 labels: letters, digits, inner hyphens, 1-63 each, 253 in all.
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i
// Debian's adduser default NAME_REGEX, minus the upper case it refuses too.
const USER_NAME = /^[a-z][-a-z0-9_]{0,31}$/
const COUNTRY = /^[A-Z]{2}$/
// Area/Location names of the tz database (and plain UTC); no dots, so no ../ out of zoneinfo.
const TIMEZONE = /^(?:UTC|[A-Z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){1,2})$/
const LOCALE = /^[a-z]{2,3}(?:_[A-Z]{2})?(?:\.UTF-8)?(?:@[a-z]+)?$/
const KEYBOARD = /^[a-z]{2,12}$/
const SSH_KEY = /^(?:ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}(?: [\x20-\x7e]{0,200})?$/
const RESERVED_USERS = new Set(['root', 'daemon', 'bin', 'sys', 'sync', 'nobody', 'sshd', 'systemd-network'])
// Any control character (line breaks first of all) would end a line of a script or a keyfile.
const hasControl = (v: string) => [...v].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)

const invalid = (detail: string) => new FlashError('FLASH_CUSTOMISE_INVALID', detail)

function text(field: string, value: unknown): string {
  if (typeof value !== 'string') throw invalid(`${field} is not text`)
  if (hasControl(value)) throw invalid(`${field} contains a line break or another control character`)
  return value
}

export function checkHostname(value: unknown): string {
  const h = text('the hostname', value)
  if (h.length > 253 || !h.split('.').every((l) => HOST_LABEL.test(l))) throw invalid(`the hostname ${JSON.stringify(h)} is not a valid host name (letters, digits and inner hyphens)`)
  return h.toLowerCase()
}

function checkIpv4Cidr(value: unknown): { address: string; prefix: number } {
  const v = text('the static address', value)
  const m = /^([0-9.]+)\/([0-9]{1,2})$/.exec(v)
  if (!m || !isIPv4(m[1]!) || Number(m[2]) > 32 || Number(m[2]) < 1) throw invalid(`the static address ${JSON.stringify(v)} is not IPv4 with a prefix, like 192.168.1.50/24`)
  return { address: m[1]!, prefix: Number(m[2]) }
}

export function checkSettings(s: BootSettings, opts: { salt?: string } = {}): CheckedSettings {
  if (typeof s !== 'object' || s === null) throw invalid('no settings were given')
  let user: CheckedSettings['user'] = null
  if (s.user !== undefined) {
    const name = text('the user name', s.user.name)
    if (!USER_NAME.test(name) || RESERVED_USERS.has(name)) throw invalid(`the user name ${JSON.stringify(name)} is not allowed (lower case letters, digits, - and _, starting with a letter)`)
    let passwordHash: string | null = null
    if (s.user.passwordHash !== undefined) {
      if (!isSha512CryptHash(text('the password hash', s.user.passwordHash))) throw invalid('the password hash is not a SHA-512 crypt ($6$) hash')
      passwordHash = s.user.passwordHash
    } else if (s.user.password !== undefined) {
      const pw = text('the password', s.user.password)
      if (pw.length === 0) throw invalid('the password is empty')
      passwordHash = sha512Crypt(pw, opts.salt)
    }
    user = { name, passwordHash }
  }
  const authorizedKeys = (s.authorizedKeys ?? []).map((k, i) => {
    const key = text(`SSH key ${i + 1}`, k).trim()
    if (!SSH_KEY.test(key)) throw invalid(`SSH key ${i + 1} is not an OpenSSH public key line`)
    return key
  })
  if (authorizedKeys.length > 0 && !user) throw invalid('SSH keys need a user to log in as')

  let wifi: CheckedSettings['wifi'] = null
  let country: string | null = null
  if (s.wifi !== undefined) {
    country = text('the Wi-Fi country', s.wifi.country).toUpperCase()
    if (!COUNTRY.test(country)) throw invalid(`the Wi-Fi country ${JSON.stringify(s.wifi.country)} is not a two-letter country code`)
    const ssid = text('the SSID', s.wifi.ssid)
    const ssidBytes = Buffer.byteLength(ssid, 'utf8')
    if (ssidBytes < 1 || ssidBytes > 32) throw invalid(`the SSID is ${ssidBytes} bytes long; it must be 1 to 32`)
    let psk: string
    if (s.wifi.psk !== undefined) {
      psk = text('the Wi-Fi key', s.wifi.psk).toLowerCase()
      if (!/^[0-9a-f]{64}$/.test(psk)) throw invalid('the Wi-Fi key is not 64 hexadecimal digits')
    } else {
      const pass = text('the Wi-Fi passphrase', s.wifi.passphrase ?? '')
      // 802.11i: 8 to 63 printable ASCII characters.
      if (!/^[\x20-\x7e]{8,63}$/.test(pass)) throw invalid('the Wi-Fi passphrase must be 8 to 63 printable ASCII characters')
      psk = wpaPsk(pass, ssid)
    }
    wifi = { country, ssid, psk, hidden: s.wifi.hidden === true }
  }
  const pattern = (field: string, value: string | undefined, re: RegExp, example: string) => {
    if (value === undefined) return null
    const v = text(field, value)
    if (!re.test(v)) throw invalid(`${field} ${JSON.stringify(v)} does not look like ${example}`)
    return v
  }
  let staticIp: CheckedSettings['staticIp'] = null
  if (s.staticIp !== undefined) {
    const iface = s.staticIp.interface
    if (iface !== 'eth0' && iface !== 'wlan0') throw invalid('the static address is for eth0 or wlan0')
    if (iface === 'wlan0' && !wifi) throw invalid('a static address on wlan0 needs Wi-Fi settings')
    const { address, prefix } = checkIpv4Cidr(s.staticIp.address)
    const gateway = s.staticIp.gateway === undefined ? null : text('the gateway', s.staticIp.gateway)
    if (gateway !== null && !isIPv4(gateway)) throw invalid(`the gateway ${JSON.stringify(gateway)} is not an IPv4 address`)
    const dns = (s.staticIp.dns ?? []).map((d, i) => {
      const v = text(`DNS server ${i + 1}`, d)
      if (isIP(v) === 0) throw invalid(`DNS server ${JSON.stringify(v)} is not an IP address`)
      return v
    })
    staticIp = { interface: iface, address, prefix, gateway, dns }
  }
  return {
    hostname: s.hostname === undefined ? null : checkHostname(s.hostname),
    user,
    authorizedKeys,
    wifi,
    country,
    locale: pattern('the locale', s.locale, LOCALE, 'en_GB.UTF-8'),
    keyboardLayout: pattern('the keyboard layout', s.keyboardLayout, KEYBOARD, 'gb'),
    timezone: pattern('the time zone', s.timezone, TIMEZONE, 'Europe/London'),
    staticIp,
    hostKey: s.hostKey !== false
  }
}
