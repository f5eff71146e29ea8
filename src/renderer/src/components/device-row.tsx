import { useState } from 'react'
import type { Device } from '../../../shared/domain'
import { useClient } from '../client/client-context'
import { useI18n } from '../i18n/i18n'
import { hasAddress } from './devices/device-address'
import { DeviceAddressLabel } from './devices/device-address-label'
import { relativeTime } from './relative-time'

export function DeviceRow({ device: d, now }: { device: Device; now: number }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [mode, setMode] = useState<'view' | 'rename' | 'remove'>('view')
  const [name, setName] = useState(d.name)
  const [error, setError] = useState<string | null>(null)

  const run = async (fn: () => Promise<unknown>) => {
    try {
      await fn()
      setMode('view')
      setError(null)
    } catch (err) {
      setError(errorText(err))
    }
  }

  return (
    <tr data-testid="device-row" data-device={d.name}>
      <td className="name">
        {mode === 'rename' ? (
          <input aria-label={t('devices.rename')} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        ) : (
          <a href={`#/devices/${encodeURIComponent(d.id)}`} className="device-link">
            {d.name}
          </a>
        )}
        {error && <div className="row-error" role="alert">{error}</div>}
      </td>
      <td className="mono">
        <DeviceAddressLabel device={d} />
        {d.previousHost && hasAddress(d) && <div className="muted small">{t('devices.was', { host: d.previousHost })}</div>}
      </td>
      <td>
        <span className={`dot dot-${d.state}`} aria-hidden /> {t(`state.${d.state}`)}
      </td>
      <td>
        {d.model ?? (d.isRaspberryPi ? 'Raspberry Pi' : '—')}
        {d.hostname && <div className="muted small mono">{d.hostname}.local</div>}
      </td>
      <td className="mono">{d.mac ?? '—'}</td>
      <td className="mono">{d.serial ?? '—'}</td>
      <td title={d.lastSeen ? new Date(d.lastSeen).toLocaleString() : ''}>{relativeTime(d.lastSeen, t, now)}</td>
      <td className="actions">
        {mode === 'view' && (
          <>
            <button className="link" onClick={() => (setName(d.name), setMode('rename'))}>{t('devices.rename')}</button>
            <button className="link danger" onClick={() => setMode('remove')}>{t('devices.remove')}</button>
          </>
        )}
        {mode === 'rename' && (
          <>
            <button className="link" onClick={() => void run(() => client['devices.rename']({ id: d.id, name }))}>{t('devices.save')}</button>
            <button className="link" onClick={() => setMode('view')}>{t('devices.cancel')}</button>
          </>
        )}
        {mode === 'remove' && (
          <span className="confirm">
            {t('devices.removeConfirm', { name: d.name })}{' '}
            <button className="link danger" onClick={() => void run(() => client['devices.remove']({ id: d.id }))}>{t('devices.remove')}</button>
            <button className="link" onClick={() => setMode('view')}>{t('devices.cancel')}</button>
          </span>
        )}
      </td>
    </tr>
  )
}
