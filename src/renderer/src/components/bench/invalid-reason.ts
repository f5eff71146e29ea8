// The runner words its invalid reasons and cancel notes in English (they are stored and exported that way); the
// page words the known forms in the reader's language and shows any other one as it was stored.
import type { Translate } from '../../i18n/i18n'

export function reasonText(reason: string, t: Translate): string {
  const temp = /^temperature reached ([\d.]+) °C \(limit ([\d.]+) °C\)/.exec(reason)
  if (temp) return t('bench.reason.hot', { temp: temp[1] as string, limit: temp[2] as string })
  const throttled = /^throttled during the run \((.*)\)$/.exec(reason)
  if (throttled) return t('bench.reason.throttled', { detail: throttled[1] as string })
  if (/^cancelled/.test(reason)) return t('bench.reason.cancelled')
  return reason
}

/** Why a cell stopped early, from the notes the benchmark job stores with a cancelled cell. */
export function cancelText(error: string | null, phase: (name: string) => string, t: Translate): string {
  if (error === null || /^cancelled before it started/.test(error)) return t('bench.cancelled.before')
  if (/^cancelled; the runs measured before the cancel are kept/.test(error)) return t('bench.cancelled.kept')
  const during = /^cancelled during (\S+)$/.exec(error)
  if (during) return t('bench.cancelled.during', { phase: phase(during[1] as string) })
  return error
}
