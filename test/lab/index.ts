// The Pi lab's typed API, for test suites and scripts. See docs/lab.md.
//
//   import { useLab } from '../../lab/vitest'          // in a Vitest suite
//   import * as lab from '../../lab'                    // anywhere else
//
export type { Arch, NetMode, UnitKind } from './config'
export { BRIDGE, GATEWAY, labNetns, PI_HOSTNAME, PI_MODEL, PI_PASSWORD, PI_USER, stateDir, cacheDir } from './config'
export { buildImage, imageExists, imageInfo, recipeHash } from './image'
export { detectAccel, readTimings, sshArgv } from './full'
export type { Timings } from './full'
export type { Shape } from './state'
export {
  down, execInLab, inventory, link, missingPrereqs, powerCut, powerOn, reset, setIp, shape, sshExec, up
} from './lab'
export type { InventoryEntry, UpOptions, UpResult } from './lab'
import { labNetns } from './config'

/** argv that runs `cmd` inside the lab namespace (for spawn/execFile). */
export function inLabArgv(cmd: string[]): string[] {
  return ['ip', 'netns', 'exec', labNetns(), ...cmd]
}
