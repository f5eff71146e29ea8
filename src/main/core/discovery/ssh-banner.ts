// The identification line an SSH server sends first (RFC 4253 4.2), e.g.
// "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3" (Raspberry Pi OS bookworm) or
// "SSH-2.0-OpenSSH_7.9p1 Raspbian-10+deb10u2" (Raspbian buster).

export type SshOsHint = 'raspbian' | 'debian' | 'ubuntu' | 'other'

export interface SshBanner {
  raw: string
  protocol: string
  software: string
  comments: string | null
  osHint: SshOsHint
  /** Raspberry Pi OS says Raspbian or Debian; anything else is unlikely to be a Pi */
  mayBeRaspberryPi: boolean
}

export function parseSshBanner(line: string): SshBanner | null {
  const raw = line.replace(/\r?\n$/, '').trim()
  const m = /^SSH-([0-9.]+)-(\S+)(?:\s+(.*))?$/.exec(raw)
  if (!m) return null
  const comments = m[3]?.trim() || null
  const osHint: SshOsHint = /raspbian/i.test(raw) ? 'raspbian' : /debian/i.test(raw) ? 'debian' : /ubuntu/i.test(raw) ? 'ubuntu' : 'other'
  return {
    raw,
    protocol: m[1]!,
    software: m[2]!,
    comments,
    osHint,
    mayBeRaspberryPi: osHint === 'raspbian' || osHint === 'debian'
  }
}

/** Servers may send other lines before the identification line; pick the first SSH- line. */
export function findBannerLine(text: string): string | null {
  for (const line of text.split('\n')) if (line.startsWith('SSH-')) return line.replace(/\r$/, '')
  return null
}
