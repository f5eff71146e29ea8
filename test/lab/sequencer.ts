// The lab's own-namespace suite (down.test.ts) starts and removes a whole lab, and its clean-up of a
// "crashed run" kills stray light-Pi and dnsmasq processes: run it before any suite brings up the
// shared lab, whatever order Vitest's duration cache would pick.
import { BaseSequencer, type TestSpecification } from 'vitest/node'

const FIRST = /test\/integration\/lab\/down\.test\.ts$/

export class LabFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    return [...sorted.filter((f) => FIRST.test(f.moduleId)), ...sorted.filter((f) => !FIRST.test(f.moduleId))]
  }
}
