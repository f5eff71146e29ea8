// Which unit a technician means by a reference: a full id, user@host[:port], a name, an address
// or an id prefix. The one place every command turns a reference into a unit, so a reference that
// fits two units is refused everywhere instead of each caller picking one of them.
import type { Device } from '../../../shared/domain'
import { EdgeError } from '../../../shared/errors'
import { formatTarget, nameLooksLikeAddress, parseTarget } from '../../../shared/target'
import { addressOf } from './apply-observations'

export interface DeviceLookup {
  get(id: string): Device | undefined
  findByName(name: string): Device | undefined
  findByAddress(host: string, port: number): Device | undefined
  list(): Device[]
}

/** As for model hashes: a shorter prefix matches some id by chance too easily. */
export const MIN_ID_PREFIX = 8
// Ids are UUIDs, so only hex digits and dashes can start one; other text is never scanned as a prefix.
const ID_PREFIX_RE = /^[0-9a-f][0-9a-f-]*$/i

/** A placeholder for "whatever answers at this address", which is not in the inventory. */
type Candidate = Device | { outside: string }

const describe = (c: Candidate): string => {
  if ('outside' in c) return `the unit at ${c.outside}, which is not in the inventory`
  const address = addressOf(c)
  return `${c.name} at ${address === null ? 'no known address' : formatTarget(c)}`
}

/**
 * The one unit `ref` means. Exact forms win outright: the full id, and `user@host[:port]` (names
 * and ids never hold "@"). Otherwise every reading (name, address, id prefix) is collected, and
 * more than one unit among them is DEVICE_REF_AMBIGUOUS; none is DEVICE_NOT_FOUND.
 */
export function resolveDeviceRef(devices: DeviceLookup, ref: string): Device {
  const text = ref.trim()
  const byId = devices.get(text)
  if (byId) return byId
  const t = parseTarget(text)
  const atAddress = t.ok ? devices.findByAddress(t.target.host, t.target.port) : undefined
  if (text.includes('@')) {
    if (atAddress) return atAddress
    throw new EdgeError('DEVICE_NOT_FOUND', ref)
  }

  const candidates = new Map<string, Candidate>()
  const add = (c: Candidate | undefined) => c && candidates.set('outside' in c ? '' : c.id, c)
  const byName = devices.findByName(text)
  add(byName)
  add(atAddress)
  // An old name such as "10.0.0.5" on a unit that has since moved: the address may mean another unit.
  if (byName && !atAddress && t.ok && nameLooksLikeAddress(text)) add({ outside: formatTarget(t.target) })
  if (text.length >= MIN_ID_PREFIX && ID_PREFIX_RE.test(text)) {
    const lower = text.toLowerCase()
    for (const d of devices.list()) if (d.id.toLowerCase().startsWith(lower)) add(d)
  }

  const found = [...candidates.values()]
  const [only] = found
  if (only === undefined) throw new EdgeError('DEVICE_NOT_FOUND', ref)
  if (found.length === 1 && !('outside' in only)) return only
  const shown = found.slice(0, 5).map(describe)
  if (found.length > 5) shown.push(`and ${found.length - 5} more`)
  throw new EdgeError('DEVICE_REF_AMBIGUOUS', `"${text}" (${shown.join('; ')})`)
}
