import type { Translate } from '../i18n/i18n'

export function relativeTime(ts: number | null, t: Translate, now = Date.now()): string {
  if (ts === null) return t('time.never')
  const s = Math.max(0, Math.round((now - ts) / 1000))
  if (s < 5) return t('time.justNow')
  if (s < 60) return t('time.secondsAgo', { n: s })
  if (s < 3600) return t('time.minutesAgo', { n: Math.round(s / 60) })
  if (s < 86400) return t('time.hoursAgo', { n: Math.round(s / 3600) })
  return new Date(ts).toLocaleString()
}
