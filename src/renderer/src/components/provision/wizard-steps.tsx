// The wizard's path, so a technician always sees where they are and what comes next.
import { useI18n } from '../../i18n/i18n'

export const WIZARD_STEPS = ['devices', 'profile', 'plan', 'run', 'summary'] as const
export type WizardStep = (typeof WIZARD_STEPS)[number]

export function WizardSteps({ current }: { current: WizardStep }) {
  const { t } = useI18n()
  const at = WIZARD_STEPS.indexOf(current)
  return (
    <ol className="wizard-steps">
      {WIZARD_STEPS.map((s, i) => (
        <li key={s} className={i === at ? 'current' : i < at ? 'done' : ''} aria-current={i === at ? 'step' : undefined}>
          <span className="num">{i + 1}</span> {t(`prov.step.${s}`)}
        </li>
      ))}
    </ol>
  )
}
