import { useEffect, useState } from 'react'
import type { UsbSnapshotDto } from '../../../shared/discovery'
import { useClient } from '../client/client-context'
import { useI18n } from '../i18n/i18n'

// Console cables, Pis in gadget or boot-ROM mode, and drives. Hotplug updates arrive as usb.changed.
export function UsbSection() {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [snap, setSnap] = useState<UsbSnapshotDto | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    void client['usb.scan']({}).then(setSnap, (e: unknown) => setError(errorText(e)))
    return client.on('usb.changed', setSnap)
  }, [client, errorText])

  return (
    <section className="card" aria-label={t('devices.usb')}>
      <div className="card-head">
        <h2>{t('devices.usb')}</h2>
      </div>
      {error && <p className="form-message error" role="alert">{error}</p>}
      {snap && (
        <div className="usb-grid">
          <div>
            <h3>{t('usb.serial')}</h3>
            {snap.serialPorts.status === 'error' ? (
              <p className="form-message error" role="alert">{errorText({ code: snap.serialPorts.code, detail: '' })}</p>
            ) : snap.serialPorts.ports.length === 0 ? (
              <p className="empty">{t('usb.none')}</p>
            ) : (
              <ul className="plain">
                {snap.serialPorts.ports.map((p) => (
                  <li key={p.path}>
                    <span className="mono">{p.path}</span> · {p.label}
                    {p.likelyPiConsole && <span className="pill pill-ok">{t('usb.console')}</span>}
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <h3>{t('usb.pis')}</h3>
            {snap.devices.length === 0 ? (
              <p className="empty">{t('usb.none')}</p>
            ) : (
              <ul className="plain">
                {snap.devices.map((d) => (
                  <li key={d.busId}>
                    {d.label} <span className="mono muted">{d.vendorId}:{d.productId} @ {d.busId}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <h3>{t('usb.drives')}</h3>
            <ul className="plain">
              {snap.drives.map((d) => (
                <li key={d.path} data-testid="drive" className={d.isSystem ? 'muted' : ''}>
                  <span className="mono">{d.path}</span> · {(d.sizeBytes / 1e9).toFixed(1)} GB · {[d.vendor, d.model].filter(Boolean).join(' ')}
                  {d.isSystem ? <span className="pill pill-failed">{t('usb.system')}</span> : <span className="pill pill-ok">{t('usb.removable')}</span>}
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </section>
  )
}
