// Parsing of `user@host[:port]` and the validation rules for names that end up in remote commands
// or on screen. A hostname with shell characters is rejected here, before anything runs.

export const HOST_RE =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])$/
export const USER_RE = /^[a-z_][a-z0-9_-]{0,31}$/
// Display names: letters of any script, digits, space and a few separators; no control characters.
export const DEVICE_NAME_RE = /^[\p{L}\p{N}][\p{L}\p{N} ._\-()#/]{0,63}$/u

/**
 * True for a name that reads as an address: a dotted IPv4 address, or anything with a port, a user@
 * or IPv6 brackets. Such a name would be taken for the unit at that address in every command that
 * accepts "a name or an address", so new names and renames may not look like one.
 */
export function nameLooksLikeAddress(name: string): boolean {
  const n = name.trim()
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(n) || /[:@[\]]/.test(n)
}

export interface Target {
  user: string
  host: string
  port: number
}

export type TargetParse = { ok: true; target: Target } | { ok: false; reason: string }

export function parseTarget(text: string, defaultUser = 'pi'): TargetParse {
  const trimmed = text.trim()
  const at = trimmed.lastIndexOf('@')
  const user = at >= 0 ? trimmed.slice(0, at) : defaultUser
  let rest = at >= 0 ? trimmed.slice(at + 1) : trimmed
  let port = 22
  const portMatch = /^(.*?):(\d{1,5})$/.exec(rest)
  if (portMatch && !rest.startsWith('[')) {
    rest = portMatch[1] ?? ''
    port = Number(portMatch[2])
  } else {
    const v6 = /^(\[[^\]]+\])(?::(\d{1,5}))?$/.exec(rest)
    if (v6) {
      rest = v6[1] ?? ''
      if (v6[2]) port = Number(v6[2])
    }
  }
  if (!USER_RE.test(user)) return { ok: false, reason: `"${user}" is not a valid user name` }
  if (!HOST_RE.test(rest) || rest.length > 253) return { ok: false, reason: `"${rest}" is not a valid host name or address` }
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, reason: `port ${port} is out of range` }
  return { ok: true, target: { user, host: rest, port } }
}

export function formatTarget(t: Target): string {
  return `${t.user}@${t.host}${t.port === 22 ? '' : `:${t.port}`}`
}
