import { useEffect, useMemo, useState } from 'react'
import type { Device } from '../../../shared/domain'
import { useClient, useLive } from '../client/client-context'
import { AddDeviceForm } from '../components/add-device-form'
import { DeviceRow } from '../components/device-row'
import { UsbSection } from '../components/usb-section'
import { useI18n } from '../i18n/i18n'

export function DevicesPage({ defaultUser }: { defaultUser: string }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const devices = useLive<Device[], 'devices.changed'>((c) => c['devices.list']({}), 'devices.changed', (p) => p.devices)
  const [filter, setFilter] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5000)
    return () => clearInterval(timer)
  }, [])

  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase()
    if (!devices || !q) return devices ?? []
    return devices.filter((d) =>
      [d.name, d.host, d.user, d.model, d.mac, d.serial, d.hostname].some((v) => v?.toLowerCase().includes(q))
    )
  }, [devices, filter])

  const scan = async () => {
    try {
      setError(null)
      await client['discovery.scan']({})
    } catch (err) {
      setError(errorText(err))
    }
  }

  const check = async () => {
    try {
      setError(null)
      await client['devices.check']({})
    } catch (err) {
      setError(errorText(err))
    }
  }

  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>{t('devices.title')}</h1>
          <p className="muted">{t('devices.subtitle')}</p>
        </div>
      </header>
      <AddDeviceForm defaultUser={defaultUser} />
      <section className="card">
        <div className="card-head">
          <h2>
            {t('devices.lan')} <span className="count">{t('devices.count', { n: devices?.length ?? 0 })}</span>
          </h2>
          <div className="toolbar">
            <input className="filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder={t('devices.filter')} aria-label={t('devices.filter')} />
            <button className="primary" onClick={() => void scan()}>{t('devices.scan')}</button>
            <button onClick={() => void check()} disabled={!devices?.length}>{t('devices.check')}</button>
          </div>
        </div>
        {error && <p className="form-message error" role="alert">{error}</p>}
        {devices && devices.length === 0 ? (
          <p className="empty">{t('devices.empty')}</p>
        ) : (
          <table className="grid">
            <thead>
              <tr>
                {(['name', 'address', 'state', 'model', 'mac', 'serial', 'lastSeen', 'actions'] as const).map((c) => (
                  <th key={c}>{t(`devices.col.${c}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((d) => (
                <DeviceRow key={d.id} device={d} now={now} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      <UsbSection />
    </div>
  )
}
