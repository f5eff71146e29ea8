// The Wi-Fi key as wpa_supplicant and NetworkManager store it: PBKDF2-HMAC-SHA1 of the passphrase
// with the SSID as salt, 4096 rounds, 32 bytes (IEEE 802.11i, what `wpa_passphrase` prints), so the
// passphrase itself never reaches the card.
import { pbkdf2Sync } from 'node:crypto'

export function wpaPsk(passphrase: string, ssid: string): string {
  return pbkdf2Sync(Buffer.from(passphrase, 'utf8'), Buffer.from(ssid, 'utf8'), 4096, 32, 'sha1').toString('hex')
}
