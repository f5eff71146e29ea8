// Reads a HOST_KEY_CHANGED error back into its parts. Errors cross the transports as
// {code, message, detail}; the detail is written by HostKeyChangedError
// (src/main/core/ssh/host-key-pinning.ts) as "host:port (pinned ALG FP, now ALG FP)", or
// "(pinned ALG FP, no ALG key offered any more)"; a provisioning job puts "<target>: " before it.
// test/unit/renderer checks this against that class.

export interface KeyIdentity {
  algorithm: string
  fingerprint: string
}

export interface HostKeyChange {
  host: string
  port: number
  pinned: KeyIdentity
  /** null when the unit no longer offers any key of the pinned type. */
  offered: KeyIdentity | null
}

const DETAIL = /(\S+):(\d{1,5}) \(pinned (\S+) (\S+), (?:now (\S+) (\S+)|no \S+ key offered any more)\)/

export function hostKeyChangeOf(err: unknown): HostKeyChange | null {
  const e = err as { code?: unknown; detail?: unknown } | null | undefined
  if (e?.code !== 'HOST_KEY_CHANGED' || typeof e.detail !== 'string') return null
  const m = DETAIL.exec(e.detail)
  if (!m) return null
  const [, host, port, pAlg, pFp, oAlg, oFp] = m as unknown as [string, string, string, string, string, string?, string?]
  return {
    host,
    port: Number(port),
    pinned: { algorithm: pAlg, fingerprint: pFp },
    offered: oAlg && oFp ? { algorithm: oAlg, fingerprint: oFp } : null
  }
}

/** Same change (same unit, same two keys): one notice per change, however many jobs hit it. */
export const sameChange = (a: HostKeyChange, b: HostKeyChange): boolean =>
  a.host === b.host && a.port === b.port && a.pinned.fingerprint === b.pinned.fingerprint && a.offered?.fingerprint === b.offered?.fingerprint
