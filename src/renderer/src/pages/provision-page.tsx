// The Provision wizard: devices -> profile and variables -> dry-run diff -> run with live per-unit,
// per-step progress -> summary with "retry failed". Every run is a job, so its result also shows on
// the device page and in History.
import { useEffect, useState } from 'react'
import type { Device } from '../../../shared/domain'
import type { ProfileInfo } from '../../../shared/provision'
import { useClient, useLive } from '../client/client-context'
import { asFleetResult, needsRetry, type UnitResult } from '../components/provision/fleet-result'
import { PickDevices, typedProblems } from '../components/provision/pick-devices'
import { formProblems, ProfileForm } from '../components/provision/profile-form'
import { PlanView } from '../components/provision/plan-view'
import { RunProgress } from '../components/provision/run-progress'
import { RunSummary } from '../components/provision/run-summary'
import { useJob } from '../components/provision/use-job'
import { emptyUnits, narrowUnits, provisionRequest, unitCount, type WizardUnits } from '../components/provision/wizard-request'
import { WizardSteps, type WizardStep } from '../components/provision/wizard-steps'
import { useI18n } from '../i18n/i18n'

export function ProvisionPage({ preselect }: { preselect: string | null }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const devices = useLive<Device[], 'devices.changed'>((c) => c['devices.list']({}), 'devices.changed', (p) => p.devices)
  const [profiles, setProfiles] = useState<ProfileInfo[]>([])
  const [step, setStep] = useState<WizardStep>('devices')
  const [units, setUnits] = useState<WizardUnits>(() => (preselect ? { ...emptyUnits, devices: [preselect] } : emptyUnits))
  const [profile, setProfile] = useState('')
  const [values, setValues] = useState<Record<string, string>>({})
  const [planJobId, setPlanJobId] = useState<string | null>(null)
  const [runJobId, setRunJobId] = useState<string | null>(null)
  const [runPlan, setRunPlan] = useState<UnitResult[]>([])
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const plan = useJob(planJobId)
  const run = useJob(runJobId)
  const planResult = asFleetResult(plan.job?.result)
  const runResult = asFleetResult(run.job?.result)

  useEffect(() => {
    void client['provision.profiles']({}).then((list) => {
      setProfiles(list)
      setProfile((p) => p || (list.find((x) => x.name === 'door-access-unit') ?? list[0])?.name || '')
    })
  }, [client])
  // The run ends on its own; its summary follows as soon as the result is in.
  useEffect(() => {
    if (step === 'run' && runResult && run.job?.finishedAt) setStep('summary')
  }, [step, runResult, run.job?.finishedAt])

  const info = profiles.find((p) => p.name === profile)
  const problems = formProblems(info, values, t, units.sitePlan !== null)
  const canLeaveDevices = unitCount(units) > 0 && typedProblems(units.typed).length === 0
  const canPlan = info !== undefined && Object.keys(problems).length === 0

  const start = async (which: WizardUnits, dryRun: boolean, planFor: UnitResult[] = []) => {
    setBusy(true)
    setError(null)
    try {
      const { jobId } = await client['provision.run'](provisionRequest(which, profile, values, dryRun))
      if (dryRun) {
        setPlanJobId(jobId)
        setStep('plan')
      } else {
        setRunPlan(planFor)
        setRunJobId(jobId)
        setStep('run')
      }
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  const retryFailed = () => {
    if (!runResult) return
    const again = runResult.units.filter(needsRetry)
    void start(narrowUnits(units, again), false, again)
  }

  const restart = () => {
    setStep('devices')
    setPlanJobId(null)
    setRunJobId(null)
    setUnits((u) => ({ ...u, password: '', identity: null }))
  }

  return (
    <div className="page">
      <header className="page-head">
        <div>
          <h1>{t('prov.title')}</h1>
          <p className="muted">{t('prov.subtitle')}</p>
        </div>
      </header>
      <section className="card wizard">
        <WizardSteps current={step} />
        {error && (
          <p className="form-message error" role="alert">
            {error}
          </p>
        )}
        {step === 'devices' && <PickDevices devices={devices ?? []} units={units} onChange={setUnits} />}
        {step === 'profile' && (
          <ProfileForm
            profiles={profiles}
            profile={profile}
            values={values}
            sitePlan={units.sitePlan !== null}
            onProfile={(p) => (setProfile(p), setValues({}))}
            onValue={(k, v) => setValues((old) => ({ ...old, [k]: v }))}
          />
        )}
        {step === 'plan' && <PlanView job={plan.job} result={planResult} />}
        {step === 'run' && <RunProgress job={run.job} log={run.log} plan={runPlan} />}
        {step === 'summary' && runResult && <RunSummary result={runResult} onRetry={retryFailed} busy={busy} />}
        <footer className="wizard-nav">
          {step === 'devices' && (
            <>
              <span className="muted small">{t('prov.unitCount', { n: unitCount(units) })}</span>
              <button className="primary" disabled={!canLeaveDevices} onClick={() => setStep('profile')}>
                {t('prov.next')}
              </button>
            </>
          )}
          {step === 'profile' && (
            <>
              <button onClick={() => setStep('devices')}>{t('prov.back')}</button>
              <button className="primary" disabled={!canPlan || busy} onClick={() => void start(units, true)}>
                {t('prov.dryRun')}
              </button>
            </>
          )}
          {step === 'plan' && (
            <>
              <button onClick={() => setStep('profile')}>{t('prov.back')}</button>
              <button
                className="primary"
                disabled={!planResult || busy}
                onClick={() => planResult && void start(units, false, planResult.units)}
              >
                {t('prov.apply', { n: planResult?.units.length ?? 0 })}
              </button>
            </>
          )}
          {step === 'summary' && <button onClick={restart}>{t('prov.again')}</button>}
        </footer>
      </section>
    </div>
  )
}
