// The built-in profiles as the Provision wizard shows them: variables in the profile's order with
// their rules, so the form can check values as they are typed (with src/shared/variable-rules).
import type { ProfileInfo } from '../../../shared/provision'
import { builtinProfileNames, loadProfile } from './load-profile'

export async function describeBuiltinProfiles(profilesDir: string): Promise<ProfileInfo[]> {
  const names = await builtinProfileNames(profilesDir)
  const profiles = await Promise.all(names.map((name) => loadProfile(name, profilesDir)))
  return profiles.map((p) => ({
    name: p.name,
    description: p.description,
    variables: Object.entries(p.variables).map(([name, v]) => ({
      name,
      type: v.type,
      description: v.description ?? null,
      pattern: v.pattern ?? null,
      values: v.values ?? null,
      default: v.default ?? null
    })),
    steps: p.steps.map((s) => ({ id: s.id, kind: s.kind.kind }))
  }))
}
