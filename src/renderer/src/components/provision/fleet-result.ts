// The provisioning job's result as the UI reads it. Job results travel as `unknown`; they are parsed
// with the engine's own schemas (src/shared/provision-result) before the UI shows a diff.
import { fleetResultSchema, type FleetResult, type StepReport, type UnitResult } from '../../../../shared/provision-result'

export type { FleetResult, StepReport, UnitResult }

export function asFleetResult(value: unknown): FleetResult | null {
  const r = fleetResultSchema.safeParse(value)
  return r.success ? (r.data as FleetResult) : null
}

/** Units a "retry failed" runs again: failed ones and those the failure threshold never started. */
export const needsRetry = (u: UnitResult): boolean => u.status === 'failed' || u.status === 'not-started' || u.status === 'cancelled'

/** Does a unit's target name this inventory device (by name, or by its address)? */
export function targetMatches(target: string, d: { name: string; user: string; host: string; port: number }): boolean {
  return target === d.name || target === `${d.user}@${d.host}:${d.port}` || (d.port === 22 && target === `${d.user}@${d.host}`)
}
