// Vitest integration: a suite declares what it needs; the lab brings it up once and takes it down.
//
//   const skip = labSkipReason({ full: 1, net: 'ns' })
//   describe.skipIf(skip)(`my suite${skip ? ` (skipped: ${skip})` : ''}`, () => {
//     let pis: InventoryEntry[]
//     beforeAll(async () => { pis = await useLab({ full: 1, light: 4, net: 'ns' }) })
//     afterAll(releaseLab)
//     ...
//   })
//
// With test/lab/global-setup.ts as the project's globalSetup, the lab stays up across files and is
// taken down once at the end of the run; without it, the suite that started the lab takes it down.
import { type Arch, type NetMode } from './config'
import { down, type InventoryEntry, inventory, missingPrereqs, up } from './lab'

export interface LabNeeds {
  full?: number
  light?: number
  /** network for the full Pis (light Pis are always on the lab LAN) */
  net?: NetMode
  arch?: Arch
}

/** Why this machine cannot give a suite what it needs (undefined if it can). Print it when skipping. */
export function labSkipReason(needs: LabNeeds): string | undefined {
  if (process.env.EDGEDOCK_LAB_SKIP) return `EDGEDOCK_LAB_SKIP is set (${process.env.EDGEDOCK_LAB_SKIP})`
  if (process.platform !== 'linux') return 'the Pi lab runs on Linux only'
  if (needs.full) {
    const r = missingPrereqs({ net: needs.net ?? 'ns', arch: needs.arch })
    if (r) return r
  }
  if (needs.light) {
    const r = missingPrereqs({ light: true })
    if (r) return r
  }
  return undefined
}

let startedHere = false

/** Bring up (or reuse) what the suite needs; resolves to the lab's inventory. Call in beforeAll. */
export async function useLab(needs: LabNeeds): Promise<InventoryEntry[]> {
  const reason = labSkipReason(needs)
  if (reason) throw new Error(`the Pi lab cannot run here: ${reason}`)
  if (inventory().length === 0) startedHere = true
  if (needs.full) await up({ count: needs.full, net: needs.net ?? 'ns', arch: needs.arch, quiet: !process.env.EDGEDOCK_LAB_VERBOSE })
  if (needs.light) await up({ count: needs.light, light: true, quiet: !process.env.EDGEDOCK_LAB_VERBOSE })
  return inventory()
}

/** Call in afterAll: takes the lab down if this suite started it and no global setup owns it. */
export async function releaseLab(): Promise<void> {
  if (process.env.EDGEDOCK_LAB_GLOBAL === '1' || process.env.EDGEDOCK_LAB_KEEP === '1') return
  if (startedHere) await down({ quiet: true })
  startedHere = false
}
