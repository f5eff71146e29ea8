// Lines of `journalctl -o json` (one JSON object per entry) into log lines. Units write anything to
// their journal, so a line may be cut, not JSON, or huge: such a line is reported as dropped with a
// reason, never thrown, and a long message is cut to a cap so one entry cannot bloat the store.
import type { LogLineInput } from '../../store/logs-repo'

/** Longest message kept, in characters; the rest is cut and marked. */
export const MAX_MESSAGE_CHARS = 16 * 1024
/** Lines longer than this are not parsed at all (journald's own default field limit is 64 KiB per field). */
export const MAX_LINE_CHARS = 1024 * 1024

export interface JournalEntry extends LogLineInput {
  cursor: string
}

export type DropReason = 'oversized' | 'not-json' | 'no-cursor'

export type ParsedLine = { ok: true; entry: JournalEntry } | { ok: false; reason: DropReason }

const decoder = new TextDecoder('utf-8')

// journald hands out a field as a string when it is valid UTF-8, as an array of byte values when it is
// not (or holds control characters), as an array of those when the entry has the field more than once,
// and as null when it is too long for the output mode (`--all` avoids that).
function fieldText(value: unknown): string | null {
  if (typeof value === 'string') return value
  if (Array.isArray(value)) {
    if (value.every((b) => typeof b === 'number')) return decoder.decode(Uint8Array.from(value as number[]))
    return value.length > 0 ? fieldText(value[0]) : null
  }
  return null
}

function fieldInt(value: unknown): number | null {
  const text = fieldText(value)
  if (text === null || !/^\d+$/.test(text)) return null
  const n = Number(text)
  return Number.isSafeInteger(n) ? n : null
}

function unitOf(o: Record<string, unknown>): string | null {
  const unit = fieldText(o._SYSTEMD_UNIT) ?? fieldText(o.SYSLOG_IDENTIFIER)
  if (unit !== null) return unit
  return fieldText(o._TRANSPORT) === 'kernel' ? 'kernel' : null
}

export function capMessage(text: string, max = MAX_MESSAGE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [cut, ${text.length} characters]`
}

export function parseJournalLine(line: string, maxMessage = MAX_MESSAGE_CHARS): ParsedLine {
  if (line.length > MAX_LINE_CHARS) return { ok: false, reason: 'oversized' }
  let o: unknown
  try {
    o = JSON.parse(line)
  } catch {
    return { ok: false, reason: 'not-json' }
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return { ok: false, reason: 'not-json' }
  const rec = o as Record<string, unknown>
  const cursor = fieldText(rec.__CURSOR)
  // Without a cursor the entry cannot be resumed after, so storing it could store it twice.
  if (cursor === null) return { ok: false, reason: 'no-cursor' }
  const priority = fieldInt(rec.PRIORITY)
  return {
    ok: true,
    entry: {
      unit: unitOf(rec),
      priority: priority !== null && priority <= 7 ? priority : null,
      timeUs: fieldInt(rec.__REALTIME_TIMESTAMP),
      message: capMessage(fieldText(rec.MESSAGE) ?? '', maxMessage),
      cursor,
      bootId: fieldText(rec._BOOT_ID)
    }
  }
}

/** The parts of a cursor that name one entry in one journal: its sequence-number id and number. */
export function cursorPosition(cursor: string): { seqnumId: string; seqnum: string } | null {
  const parts = new Map(cursor.split(';').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const))
  const seqnumId = parts.get('s')
  const seqnum = parts.get('i')
  return seqnumId && seqnum ? { seqnumId, seqnum } : null
}

/**
 * Whether two cursors point at the same entry. Cursor strings are not unique per entry (the other
 * fields may differ), so entries are compared by sequence-number id and number.
 */
export function sameEntry(a: string, b: string): boolean {
  if (a === b) return true
  const pa = cursorPosition(a)
  const pb = cursorPosition(b)
  return !!pa && !!pb && pa.seqnumId === pb.seqnumId && pa.seqnum === pb.seqnum
}
