// Provisions one unit: each step checks, plans, and (unless this is a dry run) applies and verifies;
// handlers run once at the end. The first failing step stops the unit; the report says which step
// failed and why, and the command's output is already in the log.
import type { Text } from '../../../shared/domain'
import { EdgeError, serializeError } from '../../../shared/errors'
import { englishOf } from '../../../shared/texts'
import { HANDLERS } from './handlers'
import type { ProvisionEvent, StepReport, UnitResult } from './provision-types'
import type { RemoteShell } from './remote-shell'
import type { ResolvedStep, ResolvedUnit } from './resolve-units'
import type { HandlerName, StepEnv } from './step-kind'
import { stepIo, type Log } from './step-io'

export interface UnitRunOptions {
  unit: ResolvedUnit
  shell: RemoteShell
  dryRun: boolean
  signal: AbortSignal
  ports: StepEnv['ports']
  publicKey?: string | readonly string[] | undefined
  log: Log
  onEvent?: ((event: ProvisionEvent) => void) | undefined
  sleep: StepEnv['sleep']
  now: () => number
  /** Wraps each step (a one-unit job records its steps through JobContext.step). */
  stepHook?: (<T>(title: string | Text, fn: () => Promise<T>) => Promise<T>) | undefined
}

/** A note for a step report: always the English, and the Text when there is one. */
const noteOf = (note: string | Text): { note: string; noteText?: Text } => (typeof note === 'string' ? { note } : { note: englishOf(note), noteText: note })

function redactor(secrets: readonly string[]) {
  return (text: string) => secrets.reduce((t, s) => (s ? t.split(s).join('***') : t), text)
}

export async function runUnit(o: UnitRunOptions): Promise<UnitResult> {
  const started = o.now()
  const { unit } = o
  const redact = redactor(unit.secrets)
  const log: Log = (level, text) => o.log(level, redact(`[${unit.target}] ${text}`))
  const io = stepIo(o.shell, o.signal, log)
  const env: StepEnv = { io, shell: o.shell, dryRun: o.dryRun, ports: o.ports, publicKey: o.publicKey, rebootNeededBy: [], sleep: o.sleep, now: o.now }
  const emit = (e: ProvisionEvent) => o.onEvent?.(e)
  const reports: StepReport[] = []
  const pending = new Set<HandlerName>()
  const ran: string[] = []

  const flushHandlers = async () => {
    for (const name of [...pending]) {
      pending.delete(name)
      const h = HANDLERS[name]
      emit({ type: 'handler', target: unit.target, handler: name })
      log('info', `▶ ${h.title}`)
      await io.must(h.argv, `${h.title} failed`, { sudo: true })
      ran.push(name)
    }
  }

  const runStep = (step: ResolvedStep): Promise<void> => (o.stepHook ? o.stepHook(step.titleText ?? step.title, () => stepBody(step)) : stepBody(step))
  const stepBody = async (step: ResolvedStep): Promise<void> => {
    const base = { id: step.id, kind: step.kind.kind, title: step.title, ...(step.titleText ? { titleText: step.titleText } : {}) }
    emit({ type: 'step-started', target: unit.target, stepId: step.id, title: step.title })
    const finish = (report: StepReport) => {
      reports.push(report)
      emit({ type: 'step-finished', target: unit.target, step: report })
    }
    try {
      if (o.dryRun && step.kind.dryRunNote) return finish({ ...base, status: 'skipped', changes: [], ...noteOf(step.kind.dryRunNote) })
      const facts = await step.kind.check(env, step.params)
      const plan = step.kind.plan(facts, step.params, env)
      if ('skip' in plan) {
        log('info', `${step.title}: skipped, ${englishOf(plan.skip)}`)
        return finish({ ...base, status: 'skipped', changes: [], ...noteOf(plan.skip) })
      }
      const { changes } = plan
      if (changes.length === 0) return finish({ ...base, status: 'unchanged', changes, ...(plan.note ? noteOf(plan.note) : {}) })
      // Counted before apply: a dry run must plan the same reboot the real run makes.
      if (step.kind.needsReboot) env.rebootNeededBy.push(step.title)
      for (const c of changes) log('info', `${step.title}: ${c.field}: ${c.from ?? '(none)'} -> ${c.to}`)
      if (o.dryRun) {
        for (const h of step.kind.notifies ?? []) pending.add(h)
        return finish({ ...base, status: 'would-change', changes })
      }
      if (step.kind.flushHandlersFirst) await flushHandlers()
      await step.kind.apply(env, step.params, facts)
      // Handlers are owed as soon as apply touched the unit, even if verify then fails.
      for (const h of step.kind.notifies ?? []) pending.add(h)
      if (step.kind.verify) await step.kind.verify(env, step.params, facts)
      else {
        const again = step.kind.plan(await step.kind.check(env, step.params), step.params, env)
        if ('changes' in again && again.changes.length > 0) {
          io.fail(`The unit still differs after the change: ${again.changes.map((c) => `${c.field} is ${c.from ?? '(none)'}`).join(', ')}`)
        }
      }
      finish({ ...base, status: 'changed', changes })
    } catch (err) {
      const message = err instanceof EdgeError ? err.detail || err.message : String((err as Error)?.message ?? err)
      finish({ ...base, status: 'failed', changes: [], note: redact(message) })
      throw err
    }
  }

  let error: EdgeError | null = null
  try {
    const steps = unit.steps.filter((s) => !s.kind.final)
    for (const step of steps) await runStep(step)
    if (!o.dryRun) await flushHandlers()
    for (const step of unit.steps.filter((s) => s.kind.final)) await runStep(step)
  } catch (err) {
    error = toEdgeError(err, unit.steps.find((s) => s.id === reports.at(-1)?.id)?.title)
    // The changes already made asked for these restarts; a re-run would not ask again.
    if (!o.dryRun && !o.signal.aborted && pending.size > 0) {
      await flushHandlers().catch((e: unknown) => log('error', `A handler failed after the step failure: ${(e as Error).message}`))
    }
  }

  const changes = reports.reduce((n, r) => n + (r.status === 'changed' || r.status === 'would-change' ? r.changes.length : 0), 0)
  const status: UnitResult['status'] = error
    ? o.signal.aborted
      ? 'cancelled'
      : 'failed'
    : changes === 0
      ? 'unchanged'
      : o.dryRun
        ? 'would-change'
        : 'changed'
  const result: UnitResult = {
    target: unit.target,
    ...(unit.line !== undefined ? { line: unit.line } : {}),
    status,
    changes,
    steps: reports,
    handlers: o.dryRun ? [...pending] : ran,
    ...(error ? { error: { ...serializeError(error), message: redact(error.message), detail: redact(error.detail) } } : {}),
    durationMs: o.now() - started
  }
  if (error) log('error', result.error?.message ?? error.message)
  return result
}

function toEdgeError(err: unknown, stepTitle: string | undefined): EdgeError {
  if (err instanceof EdgeError) {
    // Name the step in plain words: "Hostname door-a-1: Could not set the hostname (...)".
    if (err.code === 'PROVISION_STEP_FAILED' && stepTitle && !err.detail.startsWith(stepTitle)) {
      return new EdgeError('PROVISION_STEP_FAILED', `${stepTitle}: ${err.detail}`, { cause: err })
    }
    return err
  }
  const message = String((err as Error)?.message ?? err)
  return new EdgeError('PROVISION_STEP_FAILED', `${stepTitle ?? 'a step'}: ${message}`, { cause: err })
}
