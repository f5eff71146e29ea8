// Human output for the CLI: aligned tables, relative times; `--json` bypasses all of this.
import { EdgeError } from '../../shared/errors'

export function table(rows: Record<string, string>[], columns: string[]): string {
  if (rows.length === 0) return ''
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)))
  const line = (cells: string[]) => cells.map((v, i) => v.padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map((r) => line(columns.map((c) => r[c] ?? '')))].join('\n')
}

export function ago(ts: number | null, now = Date.now()): string {
  if (ts === null) return 'never'
  const s = Math.round((now - ts) / 1000)
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.round(s / 60)}m ago`
  if (s < 86400) return `${Math.round(s / 3600)}h ago`
  return new Date(ts).toISOString().slice(0, 16).replace('T', ' ')
}

/** A timestamp as local-free UTC "YYYY-MM-DD HH:MM:SS", the same on every machine. */
export const when = (ts: number): string => new Date(ts).toISOString().replace('T', ' ').slice(0, 19)

/** A whole-number option, refused in plain words before anything runs ("--limit must be a whole number"). */
/** `opts.of`: what is counted ("units"); `min`/`max`: bounds, the lower one named in the message. */
export function wholeNumber(value: string, option: string, opts: { of?: string; min?: number; max?: number } = {}): number {
  const n = Number(value)
  const { min = 0, max = Number.MAX_SAFE_INTEGER } = opts
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new EdgeError('INVALID_INPUT', `${option} must be a whole number${opts.of ? ` of ${opts.of}` : ''}${min > 0 ? ` from ${min}` : ''}, not "${value}"`)
  }
  return n
}
