// Vitest globalSetup for suites that use the Pi lab (test/lab/vitest.ts): the lab comes up on first
// use, stays up across test files, and is taken down once when the run ends (unless it was already
// up before the run, e.g. a developer's own `npm run lab -- up`, or EDGEDOCK_LAB_KEEP=1).
import { down, inventory } from './lab'

export default function setup(): () => Promise<void> {
  const wasUp = inventory().length > 0
  process.env.EDGEDOCK_LAB_GLOBAL = '1'
  return async () => {
    if (!wasUp && process.env.EDGEDOCK_LAB_KEEP !== '1' && inventory().length > 0) await down({ quiet: true })
  }
}
