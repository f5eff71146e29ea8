// Sizes as the Flash page shows them: decimal units, as drives are sold.
export function size(bytes: number | null): string {
  if (bytes === null) return ''
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(bytes >= 1e10 ? 0 : 1)} GB`
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`
  return `${Math.round(bytes / 1e3)} KB`
}

/** The fields of the first-boot form, all text as typed. */
export interface CustomiseValues {
  hostname: string
  user: string
  password: string
  edgedockKey: boolean
  wifiSsid: string
  wifiPassphrase: string
  wifiCountry: string
  locale: string
  keyboardLayout: string
  timezone: string
}

export const emptyCustomise: CustomiseValues = {
  hostname: '',
  user: '',
  password: '',
  edgedockKey: true,
  wifiSsid: '',
  wifiPassphrase: '',
  wifiCountry: '',
  locale: '',
  keyboardLayout: '',
  timezone: ''
}

/** What flash.start takes from the form; empty fields are left out, so nothing is set that was not typed. */
export function customiseInput(v: CustomiseValues) {
  const s = (x: string) => x.trim()
  const out: Record<string, unknown> = {}
  if (s(v.hostname)) out.hostname = s(v.hostname)
  if (s(v.user)) {
    out.user = { name: s(v.user), ...(v.password ? { password: v.password } : {}) }
    out.edgedockKey = v.edgedockKey
  }
  if (s(v.wifiSsid)) out.wifi = { ssid: v.wifiSsid, passphrase: v.wifiPassphrase, country: s(v.wifiCountry) }
  if (s(v.locale)) out.locale = s(v.locale)
  if (s(v.keyboardLayout)) out.keyboardLayout = s(v.keyboardLayout)
  if (s(v.timezone)) out.timezone = s(v.timezone)
  return Object.keys(out).length > 0 ? out : undefined
}
