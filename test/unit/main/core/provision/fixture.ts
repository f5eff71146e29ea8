// Shared set-up for provisioning tests: built-in profiles, EdgeDock's key, and a one-call run of a
// profile against fake units with virtual time (reboot backoff takes no real time).
import { fileURLToPath } from 'node:url'
import { loadProfile, provision, type FleetResult, type ProvisionEvent, type UnitInput } from '../../../../../src/main/core/provision'
import { FakeDevice, fakeModelInstaller, fakeRuntimeInstaller } from './fake-device'

export const PROFILES_DIR = fileURLToPath(new URL('../../../../../resources/profiles', import.meta.url))
export const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx0ZWRnZWRvY2tmYWtla2V5Zm9ydGVzdHNvbmx5MDEy edgedock@station'

export interface RunOutcome {
  result: FleetResult
  log: string[]
  events: ProvisionEvent[]
}

export async function runProfile(
  profileName: string,
  devices: Record<string, FakeDevice>,
  opts: { units?: UnitInput[]; vars?: Record<string, string>; dryRun?: boolean; concurrency?: number; maxFail?: number; connectFails?: Set<string> } = {}
): Promise<RunOutcome> {
  const profile = await loadProfile(profileName, PROFILES_DIR)
  const log: string[] = []
  const events: ProvisionEvent[] = []
  let clock = 0
  const result = await provision(
    {
      profile,
      units: opts.units ?? Object.keys(devices).map((target) => ({ target })),
      vars: opts.vars ?? {},
      dryRun: opts.dryRun ?? false,
      ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
      ...(opts.maxFail !== undefined ? { maxFail: opts.maxFail } : {})
    },
    {
      connect: async (target) => {
        if (opts.connectFails?.has(target)) throw new Error(`connect ECONNREFUSED ${target}`)
        const d = devices[target]
        if (!d) throw new Error(`no fake ${target}`)
        return d
      },
      ports: { runtime: fakeRuntimeInstaller(), model: fakeModelInstaller() },
      publicKey: PUBLIC_KEY,
      log: (level, text) => log.push(`${level}: ${text}`),
      onEvent: (e) => events.push(e),
      sleep: async (ms) => {
        clock += ms
      },
      now: () => clock
    }
  )
  return { result, log, events }
}

/** Per step, what changed: the shape a technician compares between dry run and real run. */
export function diffOf(result: FleetResult, target: string) {
  const unit = result.units.find((u) => u.target === target)
  return (unit?.steps ?? []).filter((s) => s.changes.length > 0).map((s) => ({ step: s.id, changes: s.changes }))
}
