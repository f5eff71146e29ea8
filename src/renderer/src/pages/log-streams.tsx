// The journals this EdgeDock streams from units: one badge each with its state (live,
// reconnecting), lines per second and gaps, kept current by the `logs.stream` event; and the
// button that starts or stops streaming the device (and systemd unit) the filter names.
import { useEffect, useState } from 'react'
import type { LogStreamStatus } from '../../../shared/contract-logs'
import { useClient } from '../client/client-context'
import { useI18n } from '../i18n/i18n'

const keyOf = (s: Pick<LogStreamStatus, 'deviceId' | 'selector'>) => `${s.deviceId}\n${s.selector}`
const selectorOf = (unit: string) => (unit === '' ? 'all' : unit === 'kernel' ? 'kernel' : `unit:${unit}`)

export function LogStreams({ deviceId, unit, names }: { deviceId: string; unit: string; names: Map<string, string> }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [streams, setStreams] = useState<Map<string, LogStreamStatus>>(new Map())
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    const put = (s: LogStreamStatus) =>
      setStreams((m) => {
        const next = new Map(m)
        if (s.state === 'stopped') next.delete(keyOf(s))
        else next.set(keyOf(s), s)
        return next
      })
    void client['logs.follow.list']({}).then((list) => list.forEach(put))
    return client.on('logs.stream', put)
  }, [client])

  const target = { deviceId, ...(unit ? { unit } : {}) }
  const running = deviceId !== '' && streams.has(keyOf({ deviceId, selector: selectorOf(unit) }))
  const toggle = async () => {
    setError(null)
    try {
      if (running) await client['logs.follow.stop'](target)
      else {
        const s = await client['logs.follow.start'](target)
        setStreams((m) => (m.has(keyOf(s)) ? m : new Map(m).set(keyOf(s), s)))
      }
    } catch (err) {
      setError(errorText(err))
    }
  }
  return (
    <div className="logs-streams">
      {deviceId !== '' && (
        <button onClick={() => void toggle()} data-testid="logs-stream-toggle">
          {t(running ? 'logs.stream.stop' : 'logs.stream.start')}
        </button>
      )}
      {streams.size > 0 && <span className="muted">{t('logs.stream.label')}:</span>}
      {[...streams.values()].map((s) => (
        <span key={keyOf(s)} className={`pill logs-stream logs-stream-${s.state}`} title={s.error ?? ''} data-testid="logs-stream">
          {names.get(s.deviceId) ?? s.deviceId} · {s.selector === 'all' ? t('logs.stream.all') : s.selector.replace(/^unit:/, '')}: {t(`logs.state.${s.state}`)}
          {s.state === 'live' && ` · ${t('logs.stream.rate', { n: s.linesPerSecond })}`}
          {s.gaps > 0 && ` · ${t('logs.stream.gaps', { n: s.gaps })}`}
        </span>
      ))}
      {error && (
        <span className="row-error" role="alert">
          {error}
        </span>
      )}
    </div>
  )
}
