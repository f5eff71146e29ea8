// Suites that start the real CLI or station run the bundle in out/cli: rebuild it first (about a
// second) so that a test never runs yesterday's build of code that changed since.
import { execFileSync } from 'node:child_process'

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-cli.js'], { stdio: ['ignore', 'ignore', 'inherit'] })
}
