// What a push sent to one unit, in the reader's language: "Sent 2.4 KB of 155 KB (delta from 1)",
// or that nothing was sent and why. The Model panel and the rollout report say it the same way, in
// the units the history uses (a 300-byte delta is "300 B", not "0.00 MB").
import type { ModelPushResult } from '../../../shared/deploy'
import { useI18n } from '../i18n/i18n'
import { formatBytes } from '../../../shared/format'

export function SentLine({ unit }: { unit: Pick<ModelPushResult['units'][number], 'method' | 'base' | 'bytesSent' | 'fileBytes'> }) {
  const { t } = useI18n()
  if (unit.method === 'reuse') return <>{t('mp.sentReused', { version: unit.base ?? '' })}</>
  if (unit.method === 'none') return <>{t('mp.sentNothing')}</>
  return <>{t(unit.method === 'delta' ? 'mp.sentDelta' : 'mp.sent', { sent: formatBytes(unit.bytesSent), size: formatBytes(unit.fileBytes), base: unit.base ?? '' })}</>
}
