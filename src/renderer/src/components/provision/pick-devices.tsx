// Step 1: which units. Inventory devices by checkbox, typed user@host targets, or a site-plan CSV
// (one row per unit with its own variables); a password for units still on the image's password.
import type { Device } from '../../../../shared/domain'
import { parseTarget } from '../../../../shared/target'
import { useI18n } from '../../i18n/i18n'
import { hasAddress } from '../devices/device-address'
import { DeviceAddressLabel } from '../devices/device-address-label'
import { typedTargets, type WizardUnits } from './wizard-request'

export function typedProblems(typed: string): string[] {
  return typedTargets(typed).flatMap((t) => {
    const p = parseTarget(t)
    return p.ok ? [] : [`${t}: ${p.reason}`]
  })
}

export function PickDevices({ devices, units, onChange }: { devices: Device[]; units: WizardUnits; onChange: (u: WizardUnits) => void }) {
  const { t, errorText } = useI18n()
  const picked = new Set(units.devices)
  const toggle = (name: string) =>
    onChange({ ...units, devices: picked.has(name) ? units.devices.filter((n) => n !== name) : [...units.devices, name] })
  const problems = typedProblems(units.typed)

  // The key's text goes into the request only; the page shows its file name, never its content.
  const readKey = async (file: File | undefined) =>
    onChange({ ...units, identity: file ? { file: file.name, privateKey: await file.text() } : null })
  const readCsv = async (file: File | undefined) => onChange({ ...units, sitePlan: file ? { file: file.name, text: await file.text() } : null })

  return (
    <div className="wizard-body">
      <fieldset className="pick-list">
        <legend>{t('prov.fromInventory')}</legend>
        {devices.length === 0 && <p className="muted">{t('prov.noInventory')}</p>}
        {devices.map((d) => (
          <label key={d.id} className={hasAddress(d) ? 'pick' : 'pick disabled'} title={hasAddress(d) ? undefined : t('devices.cannotProvision')}>
            {/* A unit without an address cannot be reached; one picked before it lost it can still be unticked. */}
            <input type="checkbox" checked={picked.has(d.name)} disabled={!hasAddress(d) && !picked.has(d.name)} onChange={() => toggle(d.name)} />
            <span className="name">{d.name}</span>
            <span className="mono muted">
              <DeviceAddressLabel device={d} />
            </span>
            <span className="muted small">
              <span className={`dot dot-${d.state}`} aria-hidden /> {t(`state.${d.state}`)}
            </span>
          </label>
        ))}
      </fieldset>
      <div className="form-grid">
        <div>
          <label>
            <span>{t('prov.typed')}</span>
            <textarea
              rows={3}
              value={units.typed}
              onChange={(e) => onChange({ ...units, typed: e.target.value })}
              placeholder="pi@127.0.0.1:22201"
              spellCheck={false}
              className="mono"
            />
          </label>
          {problems.map((p) => (
            <span key={p} className="field-error" role="alert">
              {errorText({ code: 'INVALID_INPUT', detail: p })}
            </span>
          ))}
          <label>
            <span>{t('prov.sitePlan')}</span>
            <input type="file" accept=".csv,text/csv" aria-label={t('prov.sitePlan')} onChange={(e) => void readCsv(e.target.files?.[0])} />
          </label>
          <span className="muted small">{units.sitePlan ? t('prov.sitePlanLoaded', { file: units.sitePlan.file }) : t('prov.sitePlanHint')}</span>
        </div>
        <div>
          <label>
            <span>{t('prov.password')}</span>
            <input type="password" autoComplete="off" value={units.password} onChange={(e) => onChange({ ...units, password: e.target.value })} />
          </label>
          <span className="muted small">{t('prov.passwordHint')}</span>
          <label>
            <span>{t('prov.identity')}</span>
            <input type="file" aria-label={t('prov.identity')} onChange={(e) => void readKey(e.target.files?.[0])} />
          </label>
          <span className="muted small">{units.identity ? t('prov.identityLoaded', { file: units.identity.file }) : t('prov.identityHint')}</span>
        </div>
      </div>
    </div>
  )
}
