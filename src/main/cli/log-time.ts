// `--since` / `--until` as a technician types them: a date and time (UTC unless it carries an
// offset, so a script gives the same answer on every machine), or an age back from now (`15m`,
// `2h ago`, `-3d`). Anything else is refused before a query runs.
import { EdgeError } from '../../shared/errors'

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }
const AGE = /^-?(\d+(?:\.\d+)?)\s*([smhdw])(?:\s+ago)?$/i
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i

/** Milliseconds since the epoch. */
export function parseLogTime(text: string, option: string, now = Date.now()): number {
  const t = text.trim()
  if (t.toLowerCase() === 'now') return now
  const age = AGE.exec(t)
  if (age) return Math.round(now - Number(age[1]) * (UNIT_MS[(age[2] as string).toLowerCase()] as number))
  const d = DATE.exec(t)
  if (d) {
    const [, y, mo, da, h = '00', mi = '00', s = '00', ms = '0', zone] = d
    const iso = `${y}-${mo}-${da}T${h}:${mi}:${s}.${ms.padEnd(3, '0')}${zone ? (zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')) : 'Z'}`
    const ms2 = Date.parse(iso)
    // Date.parse rolls 2026-02-31 over into March; the fields must read back the same.
    if (Number.isFinite(ms2) && new Date(Date.parse(`${y}-${mo}-${da}T00:00:00Z`)).toISOString().slice(0, 10) === `${y}-${mo}-${da}` && Number(h) < 24 && Number(mi) < 60 && Number(s) < 60) return ms2
  }
  throw new EdgeError('LOGS_BAD_TIME', `${option} "${text}"`)
}
