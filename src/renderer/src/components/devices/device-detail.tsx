// One device: what it is (facts), what it serves (model panel), how it was last provisioned, and
// everything done to it. Opened from the device list at #/devices/<id>.
import { useEffect, useRef } from 'react'
import type { Device } from '../../../../shared/domain'
import { useI18n } from '../../i18n/i18n'
import { ModelPanel } from '../model-panel/model-panel'
import { relativeTime } from '../relative-time'
import { usePinnedKey } from '../host-key/use-pinned-key'
import { useModelStatus } from '../model-panel/use-model-status'
import { hasAddress } from './device-address'
import { DeviceAddressLabel } from './device-address-label'
import { DeviceFacts } from './device-facts'
import { DeviceHostKey } from './device-host-key'
import { DeviceHistory } from './device-history'
import { DeviceProvisioning } from './device-provisioning'

export function DeviceDetail({ device: d, now }: { device: Device | null; now: number }) {
  const { t } = useI18n()
  if (!d) {
    return (
      <div className="page">
        <a href="#/devices">← {t('devices.back')}</a>
        <p className="empty">{t('devices.gone')}</p>
      </div>
    )
  }
  return <DeviceView key={d.id} device={d} now={now} />
}

function DeviceView({ device: d, now }: { device: Device; now: number }) {
  const { t } = useI18n()
  const addressed = hasAddress(d)
  // Read here, not in the Model panel: a changed host key found by this read belongs to the page.
  const status = useModelStatus(addressed ? d.id : null)
  const { pin, reload: reloadPin } = usePinnedKey(addressed ? d.id : null)
  useRefreshOnRepin(pin?.fingerprint, status.refresh)
  // A read may have pinned the key (first contact): show it once the read is over.
  const reading = status.state.kind === 'loading'
  useEffect(() => {
    if (!reading) reloadPin()
  }, [reading, reloadPin])
  return (
    <div className="page" data-testid="device-detail">
      <a href="#/devices" className="back">
        ← {t('devices.back')}
      </a>
      <header className="page-head detail-head">
        <div>
          <h1>{d.name}</h1>
          <p className="muted">
            <span className="mono">
              <DeviceAddressLabel device={d} />
            </span>{' '}
            · <span className={`dot dot-${d.state}`} aria-hidden /> {t(`state.${d.state}`)} · {t('devices.col.lastSeen')}: {relativeTime(d.lastSeen, t, now)}
          </p>
        </div>
        {addressed ? (
          <a className="button primary" href={`#/provision/${encodeURIComponent(d.name)}`}>
            {t('devices.provision')}
          </a>
        ) : (
          <button className="primary" disabled title={t('devices.cannotProvision')}>
            {t('devices.provision')}
          </button>
        )}
      </header>
      {!addressed && <p className="form-message muted">{t('devices.noAddressHint')}</p>}
      <DeviceHostKey device={d} pin={pin} statusError={status.state.kind === 'error' ? status.state.error : null} />
      <div className="detail-grid">
        <DeviceFacts device={d} pin={pin} />
        <ModelPanel device={d} status={status} />
      </div>
      <DeviceProvisioning device={d} />
      <DeviceHistory device={d} />
    </div>
  )
}

/** After a re-pin (from any window) the unit can be read again: read it without waiting for a click. */
function useRefreshOnRepin(fingerprint: string | undefined, refresh: () => void) {
  const last = useRef(fingerprint)
  useEffect(() => {
    const before = last.current
    last.current = fingerprint
    if (before !== undefined && fingerprint !== undefined && before !== fingerprint) refresh()
  }, [fingerprint, refresh])
}
