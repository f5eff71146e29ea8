// A site plan: CSV with one row per unit, a `target` (user@host[:port]) or `device` (inventory name)
// column and one column per profile variable. Parsed with csv-parse (quoting, BOM, CRLF done right);
// every problem names its line.
import type * as csvModule from 'csv-parse/sync'
import { lazyPackage } from '../lazy-package'
import { EdgeError } from '../../../shared/errors'
import { DEVICE_NAME_RE, parseTarget } from '../../../shared/target'
import { tooLarge } from './profile'
import type { UnitInput } from './resolve-units'

const csv = lazyPackage<typeof csvModule>('csv-parse/sync')

export interface SitePlanRow extends UnitInput {
  line: number
  /** Which column named the unit: the caller connects to an address or looks up a device. */
  ref: 'target' | 'device'
}

/** A plan for a thousand units is about 100 KiB; a much larger text is refused before parsing. */
export const MAX_SITE_PLAN_BYTES = 1024 * 1024

export function parseSitePlan(text: string): SitePlanRow[] {
  const bytes = Buffer.byteLength(text, 'utf8')
  if (bytes > MAX_SITE_PLAN_BYTES) throw new EdgeError('SITE_PLAN_INVALID', tooLarge(bytes, MAX_SITE_PLAN_BYTES))
  let records: { record: Record<string, string>; info: { lines: number } }[]
  try {
    records = csv().parse(text, {
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim()),
      skip_empty_lines: true,
      trim: true,
      comment: '#',
      info: true
    }) as typeof records
  } catch (err) {
    const e = err as { message?: string; lines?: number }
    throw new EdgeError('SITE_PLAN_INVALID', e.lines ? `line ${e.lines}: ${e.message}` : String(e.message ?? err))
  }
  const rows: SitePlanRow[] = []
  const problems: string[] = []
  for (const { record, info } of records) {
    const line = info.lines
    const { target = '', device = '', ...vars } = record
    if (target && device) problems.push(`line ${line}: fill in "target" or "device", not both`)
    else if (!target && !device) problems.push(`line ${line}: no "target" or "device" given`)
    else if (target && !parseTarget(target).ok) {
      const t = parseTarget(target)
      problems.push(`line ${line}: ${t.ok ? '' : t.reason}`)
    } else if (device && !DEVICE_NAME_RE.test(device)) problems.push(`line ${line}: "${device}" is not a device name`)
    else {
      // An empty cell means "use the default", not "set it to empty".
      const given = Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== ''))
      rows.push({ target: target || device, ref: target ? 'target' : 'device', vars: given, line })
    }
  }
  if (records.length === 0) problems.push('it has no rows (the first line must be the column names)')
  if (problems.length > 0) throw new EdgeError('SITE_PLAN_INVALID', problems.slice(0, 5).join('; '))
  return rows
}
