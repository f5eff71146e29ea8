// What EdgeDock knows about a unit: identity from discovery and what a login read (OS, architecture,
// memory, disk, temperature), as a plain list.
import type { Device } from '../../../../shared/domain'
import { useI18n } from '../../i18n/i18n'
import type { PinnedKey } from '../host-key/use-pinned-key'

const show = (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v))

export function DeviceFacts({ device: d, pin }: { device: Device; pin: PinnedKey | undefined }) {
  const { t } = useI18n()
  const rows: [string, unknown][] = [
    [t('devices.col.model'), d.model ?? (d.isRaspberryPi ? 'Raspberry Pi' : null)],
    [t('devices.col.serial'), d.serial],
    [t('devices.col.mac'), d.macs.length ? d.macs.join(', ') : d.mac],
    [t('facts.hostname'), d.hostname],
    [t('facts.sources'), d.sources.join(', ')],
    [t('facts.services'), d.services.join(', ')],
    ...Object.entries(d.facts ?? {})
  ]
  return (
    <section className="card" aria-labelledby="facts-h">
      <h2 id="facts-h">{t('facts.title')}</h2>
      <dl className="facts" data-testid="device-facts">
        <div className="fact">
          <dt>{t('facts.pinnedKey')}</dt>
          <dd className="mono" data-testid="pinned-key">
            <PinnedKeyText pin={pin} scanKey={d.hostKeyFingerprint} />
          </dd>
        </div>
        {rows.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd className="mono">{show(v)}</dd>
          </div>
        ))}
      </dl>
      {!d.facts && <p className="muted small">{t('facts.noLogin')}</p>}
    </section>
  )
}

/** The key SSH connections are checked against (the pin), not only what a scan once saw. */
function PinnedKeyText({ pin, scanKey }: { pin: PinnedKey | undefined; scanKey: string | null }) {
  const { t } = useI18n()
  if (pin === undefined) return <>…</>
  if (pin === null) return <span className="muted words">{scanKey ? t('facts.scanKey', { key: scanKey }) : t('facts.notPinned')}</span>
  return (
    <>
      {pin.algorithm} {pin.fingerprint}
      <span className="muted small pinned-since words">{t('facts.pinnedSince', { when: new Date(pin.pinnedAt).toLocaleString() })}</span>
    </>
  )
}
