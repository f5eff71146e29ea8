// Step 2: the profile and its variables. Values are checked as they are typed with the engine's own
// rules (src/shared/variable-rules), so a hostname with `;` or `$(` is refused before anything runs.
import type { ProfileInfo } from '../../../../shared/provision'
import { useI18n } from '../../i18n/i18n'
import { VariableField } from './variable-field'
import { variableMessage } from './variable-message'

export function formProblems(profile: ProfileInfo | undefined, values: Record<string, string>, t: ReturnType<typeof useI18n>['t'], sitePlan: boolean) {
  const out: Record<string, string> = {}
  for (const v of profile?.variables ?? []) {
    const m = variableMessage(v, values[v.name] ?? '', t, sitePlan)
    if (m) out[v.name] = m
  }
  return out
}

interface Props {
  profiles: ProfileInfo[]
  profile: string
  values: Record<string, string>
  sitePlan: boolean
  onProfile: (name: string) => void
  onValue: (name: string, value: string) => void
}

export function ProfileForm({ profiles, profile, values, sitePlan, onProfile, onValue }: Props) {
  const { t } = useI18n()
  const info = profiles.find((p) => p.name === profile)
  const problems = formProblems(info, values, t, sitePlan)
  return (
    <div className="wizard-body">
      <label className="profile-pick">
        <span>{t('prov.profile')}</span>
        <select value={profile} onChange={(e) => onProfile(e.target.value)}>
          {profiles.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      {info && <p className="muted">{info.description}</p>}
      {info && (
        <p className="muted small">
          {t('prov.steps')}: <span className="mono">{info.steps.map((s) => s.kind).join(' → ')}</span>
        </p>
      )}
      {sitePlan && <p className="muted small">{t('prov.sitePlanVars')}</p>}
      <div className="var-grid">
        {info?.variables.map((v) => (
          <VariableField key={v.name} v={v} value={values[v.name] ?? ''} message={problems[v.name] ?? null} onChange={(x) => onValue(v.name, x)} />
        ))}
      </div>
    </div>
  )
}
