// The secrets put on a card are derived here, never stored in plain text: SHA-512 crypt against the
// specification's own vectors and this machine's openssl, the Wi-Fi PSK against IEEE 802.11i's
// vectors and openssl's PBKDF2, and the host key against ssh-keygen.
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { generateEd25519HostKey } from '../../../../src/main/core/ssh/generate-host-key'
import { isSha512CryptHash, sha512Crypt } from '../../../../src/main/core/flash/customise/sha512-crypt'
import { wpaPsk } from '../../../../src/main/core/flash/customise/wifi-psk'
import { tempDir } from '../../../helpers/temp-dir'
import { missingFatTools, run } from './fat-tools'

const missing = missingFatTools()

describe('SHA-512 crypt', () => {
  // From Drepper's "Unix crypt using SHA-256 and SHA-512", the SHA-512 test vectors.
  const vectors: [string, string, number | undefined, string][] = [
    ['saltstring', 'Hello world!', undefined, '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1'],
    ['saltstringsaltstring', 'Hello world!', 10000, '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.'],
    ['toolongsaltstring', 'This is just a test', 5000, '$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0'],
    ['roundstoolow', 'the minimum number is still observed', 10, '$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.']
  ]
  for (const [salt, key, rounds, want] of vectors) {
    it(`matches the specification for salt ${salt}`, () => {
      expect(sha512Crypt(key, salt, rounds)).toBe(want)
      expect(isSha512CryptHash(want)).toBe(true)
    })
  }

  it.skipIf(missing.length > 0)('matches openssl passwd -6 for awkward passwords', () => {
    for (const [salt, pw] of [['abcdEFGH12345678', 'pässwörd'], ['x', "'\"$(reboot)`;"], ['./09AZaz', ' leading and trailing '], ['s', 'p'.repeat(200)]] as const) {
      expect(sha512Crypt(pw, salt)).toBe(run('openssl', ['passwd', '-6', '-salt', salt, pw]).trim())
    }
  })

  it('makes a fresh 16-character salt each time', () => {
    const a = sha512Crypt('same')
    expect(a).not.toBe(sha512Crypt('same'))
    expect(isSha512CryptHash(a)).toBe(true)
    expect(a.split('$')[2]).toHaveLength(16)
  })
})

describe('Wi-Fi PSK', () => {
  // IEEE 802.11i-2004, annex H.4.
  it('matches the standard test vectors', () => {
    expect(wpaPsk('password', 'IEEE')).toBe('f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e')
    expect(wpaPsk('ThisIsAPassword', 'ThisIsASSID')).toBe('0dc0d6eb90555ed6419756b9a15ec3e3209b63df707dd508d14581f8982721af')
  })

  it.skipIf(missing.length > 0)('matches openssl PBKDF2 for awkward SSIDs and the longest passphrase', () => {
    for (const [pass, ssid] of [['a'.repeat(63), 'Z'.repeat(32)], ['12345678', `'"$(x)\`;`], ['pass phrase!', 'café ünï']] as const) {
      const want = run('openssl', ['kdf', '-keylen', '32', '-kdfopt', 'digest:SHA1', '-kdfopt', `pass:${pass}`, '-kdfopt', `salt:${ssid}`, '-kdfopt', 'iter:4096', 'PBKDF2'])
      expect(wpaPsk(pass, ssid)).toBe(want.trim().replaceAll(':', '').toLowerCase())
    }
  })
})

describe.skipIf(missing.length > 0)('host key made before the first boot', () => {
  const tmp = tempDir('edgedock-hostkey-')
  afterAll(() => tmp.cleanup())

  it('is an OpenSSH ed25519 key that ssh-keygen reads, with the fingerprint ssh-keygen prints', () => {
    // Many keys: a leading zero byte in a key must not break the encoding.
    for (let i = 0; i < 40; i++) {
      const k = generateEd25519HostKey('root@unit')
      const file = path.join(tmp.dir, `key${i}`)
      writeFileSync(file, k.privateKey, { mode: 0o600 })
      expect(run('ssh-keygen', ['-y', '-f', file]).trim().split(' ').slice(0, 2)).toEqual(k.publicKey.split(' ').slice(0, 2))
      expect(run('ssh-keygen', ['-l', '-f', file])).toContain(`256 ${k.fingerprint} root@unit (ED25519)`)
      expect(k.algorithm).toBe('ssh-ed25519')
    }
  })
})
