// Lab suites in a fixed order, whatever Vitest's duration cache or file sizes would pick:
// - down.test.ts first: it starts and removes a lab of its own, and its "crashed run" clean-up kills
//   stray light-Pi and dnsmasq processes, so it must run before any suite brings up the shared lab;
// - full.test.ts next, on two fresh Pis;
// - the host-key suite last: it regenerates its Pi's SSH host keys.
// (Provisioning no longer has to come last: the hang of a full-Pi `up` after its `reset` was the lab's
// restored networkd losing its DHCP address, fixed in full.ts `renewLease`.)
import { BaseSequencer, type TestSpecification } from 'vitest/node'

const ORDER = [/test\/integration\/lab\/down\.test\.ts$/, /test\/integration\/lab\/full\.test\.ts$/]
const LAST = /test\/integration\/provision\/host-key-change\.lab\.test\.ts$/

const rank = (f: TestSpecification) => {
  const i = ORDER.findIndex((re) => re.test(f.moduleId))
  if (i >= 0) return i
  return LAST.test(f.moduleId) ? ORDER.length + 1 : ORDER.length
}

export class LabFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    // Array.prototype.sort is stable: within a rank, Vitest's own order stays.
    return sorted.sort((a, b) => rank(a) - rank(b))
  }
}
