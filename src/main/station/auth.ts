// Station access: a random token printed once at start. The page is opened with ?token=…, which
// sets an HttpOnly, SameSite=Strict cookie for the assets and the WebSocket that follow.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'
import { networkInterfaces } from 'node:os'

export const COOKIE = 'edgedock_token'

export const newToken = (): string => randomBytes(24).toString('base64url')

export function sameToken(a: string | undefined | null, b: string): boolean {
  if (!a) return false
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export function tokenFrom(req: IncomingMessage): { query: string | null; cookie: string | null } {
  const url = new URL(req.url ?? '/', 'http://station.invalid')
  const cookie = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === COOKIE)?.[1]
  return { query: url.searchParams.get('token'), cookie: cookie ?? null }
}

/** WebSocket upgrades must come from the station's own page: any other Origin is refused. */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin
  const host = req.headers.host
  if (!origin || !host) return false
  try {
    const o = new URL(origin)
    return (o.protocol === 'http:' || o.protocol === 'https:') && o.host === host
  } catch {
    return false
  }
}

const hostPort = (address: string, port: number) => `${isIP(address) === 6 ? `[${address}]` : address}:${port}`

/**
 * The Host headers the station answers to. A page on another name that resolves here (DNS
 * rebinding) sends its own name, so it is refused even though its Origin matches its Host.
 */
export function servedHosts(listenHost: string, port: number): Set<string> {
  const names = ['127.0.0.1', 'localhost', '::1', listenHost]
  // Listening on every interface: the box's own addresses are how the bench reaches it.
  if (listenHost === '0.0.0.0' || listenHost === '::') {
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.push(i.address.split('%')[0] ?? '')
  }
  return new Set(names.filter(Boolean).map((n) => hostPort(n, port).toLowerCase()))
}

export function hostAllowed(req: IncomingMessage, allowed: Set<string>): boolean {
  const host = req.headers.host
  return !!host && allowed.has(host.toLowerCase())
}
