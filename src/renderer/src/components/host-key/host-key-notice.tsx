// What a technician sees when a unit's SSH host key changed: what happened in plain words, both
// fingerprints, and "Trust the new key" behind a confirmation. The same notice serves the device
// page, the jobs panel and the provisioning summary; whichever is used, all of them follow the pin.
import type { HostKeyChange } from './host-key-change'
import { useI18n } from '../../i18n/i18n'
import { TrustNewKey } from './trust-new-key'
import { usePinnedKey } from './use-pinned-key'

const key = (k: { algorithm: string; fingerprint: string }) => `${k.algorithm} ${k.fingerprint}`

/** `target` names the unit for hostKeys.get/repin: a device id or name, or user@host[:port]. */
export function HostKeyNotice({ change, target }: { change: HostKeyChange; target: string }) {
  const { t } = useI18n()
  const { pin, reload } = usePinnedKey(target)
  const address = `${change.host}:${change.port}`
  // Trusted since (here, in another window, or with the CLI): the notice has done its job.
  if (pin && change.offered && pin.fingerprint === change.offered.fingerprint) {
    return (
      <div className="hk-notice hk-trusted" data-testid="host-key-trusted" role="status">
        {t('hk.trusted', { address, key: key(pin) })}
      </div>
    )
  }
  // The pin moved on to a third key: this failure is history, a new job would say what holds now.
  if (pin && pin.fingerprint !== change.pinned.fingerprint) return <div className="hk-notice hk-old muted small">{t('hk.outdated', { address })}</div>
  return (
    <div className="hk-notice" data-testid="host-key-changed">
      <strong className="hk-title">{t('hk.title')}</strong>
      <p>{t('hk.what', { address })}</p>
      <p>{t('hk.why')}</p>
      <dl className="hk-keys">
        <dt>{t('hk.pinned')}</dt>
        <dd className="mono" data-testid="hk-pinned">
          {key(change.pinned)}
        </dd>
        <dt>{t('hk.offered')}</dt>
        <dd className="mono" data-testid="hk-offered">
          {change.offered ? key(change.offered) : t('hk.noneOffered', { algorithm: change.pinned.algorithm })}
        </dd>
      </dl>
      {/* Keyed by the new key: a refusal shown for one key must not linger under the next. */}
      {change.offered ? <TrustNewKey key={change.offered.fingerprint} target={target} offered={change.offered} onTrusted={reload} /> : <p className="muted small">{t('hk.cannotTrust')}</p>}
    </div>
  )
}
