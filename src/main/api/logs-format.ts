// A stored log line as one line of text, the same in an export and on the terminal:
// `2026-12-03 06:00:00.123  door-17  ssh.service  err  message`. Times are UTC so an export reads
// the same on every machine; the unit's own clock is used, and the time received when it has none.
import type { LogLineView } from '../../shared/contract-logs'

export const PRIORITY_NAMES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const

/** A priority typed by a person: 0-7 or its name (`err`, `warning`; `error` and `warn` too). */
export function parsePriority(text: string): number | null {
  const t = text.trim().toLowerCase()
  if (/^[0-7]$/.test(t)) return Number(t)
  const alias: Record<string, number> = { error: 3, warn: 4, panic: 0 }
  const i = (PRIORITY_NAMES as readonly string[]).indexOf(t)
  return i >= 0 ? i : (alias[t] ?? null)
}

export function lineTime(l: Pick<LogLineView, 'timeUs' | 'receivedAt'>): number {
  return l.timeUs !== null ? Math.floor(l.timeUs / 1000) : l.receivedAt
}

export function formatLogLine(l: LogLineView, deviceName: (id: string) => string): string {
  const ts = new Date(lineTime(l)).toISOString().replace('T', ' ').slice(0, 23)
  const level = l.kind !== 'line' ? `[${l.kind}]` : l.priority !== null ? PRIORITY_NAMES[l.priority] : '-'
  return `${ts}  ${deviceName(l.deviceId)}  ${l.unit ?? '-'}  ${level}  ${l.message.replaceAll('\n', '\\n')}`
}
