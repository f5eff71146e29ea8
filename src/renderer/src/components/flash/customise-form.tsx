// First-boot settings for the written card: hostname, user and password, EdgeDock's SSH key,
// Wi-Fi, locale, keyboard and time zone. Empty fields are not set on the unit.
import type { PlainKey } from '../../../../shared/i18n'
import { useI18n } from '../../i18n/i18n'
import type { CustomiseValues } from './flash-format'

type TextField = Exclude<keyof CustomiseValues, 'edgedockKey'>
const FIELDS: { key: TextField; label: PlainKey; type?: string }[] = [
  { key: 'hostname', label: 'flash.hostname' },
  { key: 'user', label: 'flash.user' },
  { key: 'password', label: 'flash.password', type: 'password' },
  { key: 'wifiSsid', label: 'flash.wifiSsid' },
  { key: 'wifiPassphrase', label: 'flash.wifiPassphrase', type: 'password' },
  { key: 'wifiCountry', label: 'flash.wifiCountry' },
  { key: 'locale', label: 'flash.locale' },
  { key: 'keyboardLayout', label: 'flash.keyboard' },
  { key: 'timezone', label: 'flash.timezone' }
]

export function CustomiseForm({ value, onChange }: { value: CustomiseValues; onChange: (v: CustomiseValues) => void }) {
  const { t } = useI18n()
  return (
    <section className="card" aria-label={t('flash.customise')}>
      <div className="card-head">
        <h2>{t('flash.customise')}</h2>
      </div>
      <div className="form-grid" style={{ gridTemplateColumns: 'repeat(3, 1fr)' }}>
        {FIELDS.map((f) => (
          <label key={f.key}>
            {t(f.label)}
            <input
              type={f.type ?? 'text'}
              autoComplete="off"
              value={value[f.key]}
              onChange={(e) => onChange({ ...value, [f.key]: e.target.value })}
            />
          </label>
        ))}
        <label style={{ flexDirection: 'row', alignItems: 'center', gap: 8 }}>
          <input type="checkbox" checked={value.edgedockKey} onChange={(e) => onChange({ ...value, edgedockKey: e.target.checked })} />
          {t('flash.edgedockKey')}
        </label>
      </div>
    </section>
  )
}
