// Profiles and the provisioning engine. No electron, no SSH: units are reached through RemoteShell.
export { formatFleetResult } from './format-result'
export { HANDLERS } from './handlers'
export { builtinProfileNames, loadProfile } from './load-profile'
export { parseProfile, type Profile, type ProfileStep } from './profile'
export { prepareProvision, provision, type ProvisionDeps, type ProvisionInput } from './provision'
export { startProvisionJob, type ProvisionJobDeps } from './provision-job'
export {
  changeSchema,
  fleetResultSchema,
  provisionEventSchema,
  stepReportSchema,
  summarize,
  unitResultSchema,
  type Change,
  type FleetResult,
  type FleetSummary,
  type ProvisionEvent,
  type StepReport,
  type StepStatus,
  type UnitResult,
  type UnitStatus
} from './provision-types'
export type { ModelInstaller, RemoteShell, RunOptions, RunResult, RuntimeInstaller } from './remote-shell'
export { resolveUnits, type ResolvedUnit, type UnitInput } from './resolve-units'
export { runFleet, unitsToRetry, type FleetOptions } from './run-fleet'
export { parseSitePlan, type SitePlanRow } from './site-plan'
export { STEP_KINDS } from './steps'
export { parseVarArgs } from './var-args'
