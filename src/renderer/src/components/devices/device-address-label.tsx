// The address as the lists show it, or "no address (last: …)" for a unit whose address went elsewhere.
import type { Device } from '../../../../shared/domain'
import { useI18n } from '../../i18n/i18n'
import { addressText } from './device-address'

export function DeviceAddressLabel({ device: d }: { device: Pick<Device, 'host' | 'port' | 'user' | 'previousHost'> }) {
  const { t } = useI18n()
  const text = addressText(d)
  if (text !== null) return <>{text}</>
  return (
    <span className="no-address" title={t('devices.noAddressHint')} data-testid="no-address">
      {d.previousHost ? t('devices.noAddressLast', { host: d.previousHost }) : t('devices.noAddress')}
    </span>
  )
}
