import { useEffect, useMemo, useState } from 'react'
import type { Device } from '../../../shared/domain'
import { useClient, useLive } from '../client/client-context'
import { AddDeviceForm } from '../components/add-device-form'
import { DeviceRow } from '../components/device-row'
import { DeviceDetail } from '../components/devices/device-detail'
import { hasAddress } from '../components/devices/device-address'
import { filterDevices, SOURCE_FILTERS, STATE_FILTERS, type DeviceFilter } from '../components/devices/device-filters'
import { ScanProgress } from '../components/devices/scan-progress'
import { UsbSection } from '../components/usb-section'
import { useI18n } from '../i18n/i18n'

export function DevicesPage({ defaultUser, openId }: { defaultUser: string; openId: string | null }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const devices = useLive<Device[], 'devices.changed'>((c) => c['devices.list']({}), 'devices.changed', (p) => p.devices)
  const [filter, setFilter] = useState<DeviceFilter>({ text: '', source: 'all', state: 'all' })
  const [error, setError] = useState<string | null>(null)
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5000)
    return () => clearInterval(timer)
  }, [])

  const shown = useMemo(() => filterDevices(devices ?? [], filter), [devices, filter])

  const scan = async () => {
    try {
      setError(null)
      await client['discovery.scan']({})
    } catch (err) {
      setError(errorText(err))
    }
  }

  // Units without an address have nothing to connect to: check the others (all of them, if none lacks one).
  const addressed = (devices ?? []).filter(hasAddress)
  const check = async () => {
    try {
      setError(null)
      await client['devices.check'](addressed.length === devices?.length ? {} : { ids: addressed.map((d) => d.id) })
    } catch (err) {
      setError(errorText(err))
    }
  }

  const open = openId ? devices?.find((d) => d.id === openId) : undefined
  if (openId && devices) return <DeviceDetail device={open ?? null} now={now} />

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
            {t('devices.inventory')} <span className="count">{shown.length === (devices?.length ?? 0) ? t('devices.count', { n: shown.length }) : t('devices.countOf', { n: shown.length, total: devices?.length ?? 0 })}</span>
          </h2>
          <div className="toolbar">
            <button className="primary" onClick={() => void scan()}>{t('devices.scan')}</button>
            <button onClick={() => void check()} disabled={addressed.length === 0} title={devices?.length && !addressed.length ? t('devices.checkNone') : undefined}>
              {t('devices.check')}
            </button>
          </div>
        </div>
        <div className="toolbar filters" role="search">
          <input className="filter" type="search" value={filter.text} onChange={(e) => setFilter({ ...filter, text: e.target.value })} placeholder={t('devices.filter')} aria-label={t('devices.filter')} />
          <select aria-label={t('devices.source')} value={filter.source} onChange={(e) => setFilter({ ...filter, source: e.target.value as DeviceFilter['source'] })}>
            {SOURCE_FILTERS.map((s) => (
              <option key={s} value={s}>
                {t(`devices.source.${s}`)}
              </option>
            ))}
          </select>
          <select aria-label={t('devices.stateFilter')} value={filter.state} onChange={(e) => setFilter({ ...filter, state: e.target.value as DeviceFilter['state'] })}>
            {STATE_FILTERS.map((s) => (
              <option key={s} value={s}>
                {t(`devices.stateFilter.${s}`)}
              </option>
            ))}
          </select>
        </div>
        {error && <p className="form-message error" role="alert">{error}</p>}
        <ScanProgress />
        {devices && devices.length === 0 ? (
          <p className="empty">{t('devices.empty')}</p>
        ) : devices && shown.length === 0 ? (
          <p className="empty" role="status">{t('devices.noMatch')}</p>
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
