import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import type { SafetyPorts } from '../../../src/main/core/flash/target-safety'

/** No block devices in these tests: lsblk is asked for nothing, so only image files can be targets. */
export const noDrives: SafetyPorts = { listDrives: async () => [], readSys: async () => null }

export function sha256File(file: string): string | null {
  return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : null
}

export function head4k(file: string): Buffer {
  return readFileSync(file).subarray(0, 4096)
}
