// The entry point the app, the station and the CLI share: validate everything, then run the fleet.
// Validation errors throw before any unit is contacted; unit failures are in the result.
import type { Profile } from './profile'
import type { FleetResult } from './provision-types'
import { resolveUnits, type UnitInput } from './resolve-units'
import { runFleet, type FleetOptions } from './run-fleet'

export interface ProvisionInput {
  units: readonly UnitInput[]
  profile: Profile
  /** Shared values (`--var k=v`); a unit's own values (site plan row) win. */
  vars?: Readonly<Record<string, string>>
  dryRun?: boolean
  concurrency?: number
  maxFail?: number
}

export type ProvisionDeps = Omit<FleetOptions, 'profile' | 'units' | 'dryRun' | 'concurrency' | 'maxFail'>

/** Checks the input without contacting any unit: throws PROFILE_VARIABLE_INVALID / SITE_PLAN_INVALID. */
export function prepareProvision(input: ProvisionInput) {
  return resolveUnits(input.profile, input.units, input.vars ?? {})
}

export async function provision(input: ProvisionInput, deps: ProvisionDeps): Promise<FleetResult> {
  const units = prepareProvision(input)
  return runFleet({
    ...deps,
    profile: input.profile.name,
    units,
    dryRun: input.dryRun ?? false,
    ...(input.concurrency !== undefined ? { concurrency: input.concurrency } : {}),
    ...(input.maxFail !== undefined ? { maxFail: input.maxFail } : {})
  })
}
