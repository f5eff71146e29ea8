// MAC address normalisation and Raspberry Pi vendor matching.
// Accepts aa:bb:cc:dd:ee:ff, AA-BB-CC-DD-EE-FF, aabb.ccdd.eeff, aabbccddeeff; emits lower-case colon form.

/**
 * Raspberry Pi Ltd / Foundation OUI assignments, as hex-digit prefixes (no separators).
 * The 24-bit MA-L blocks have 6 digits; F0:40:AF:9 is an MA-M (28-bit) block and
 * 8C:1F:64:34:A an MA-S (36-bit) block, so matching is by hex-digit prefix, not by octet.
 */
export const RASPBERRY_PI_MAC_PREFIXES: readonly string[] = [
  'b827eb',
  'dca632',
  'e45f01',
  'd83add',
  '28cdc1',
  '2ccf67',
  '88a29e',
  'f040af9',
  '8c1f6434a'
]

export function normalizeMac(input: string): string | undefined {
  const trimmed = input.trim().toLowerCase()
  let hex: string
  if (/^[0-9a-f]{1,2}([:-][0-9a-f]{1,2}){5}$/.test(trimmed)) {
    // Some tools (macOS arp) drop leading zeros: 0:1b:2:... -> 00:1b:02:...
    hex = trimmed.split(/[:-]/).map((octet) => octet.padStart(2, '0')).join('')
  } else if (/^[0-9a-f]{4}(\.[0-9a-f]{4}){2}$/.test(trimmed) || /^[0-9a-f]{12}$/.test(trimmed)) {
    hex = trimmed.replace(/\./g, '')
  } else {
    return undefined
  }
  // All-zero (incomplete neighbour) and broadcast are not a unit's address.
  if (hex === '000000000000' || hex === 'ffffffffffff') return undefined
  return hex.match(/../g)!.join(':')
}

export function isRaspberryPiMac(input: string): boolean {
  const mac = normalizeMac(input)
  if (mac === undefined) return false
  const hex = mac.replace(/:/g, '')
  return RASPBERRY_PI_MAC_PREFIXES.some((prefix) => hex.startsWith(prefix))
}
