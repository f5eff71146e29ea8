import { defineConfig } from 'vitest/config'
import { LabFirstSequencer } from './test/lab/sequencer.ts'

// Three suites: unit (pure, fast), integration (real SQLite, real SSH, the Pi lab),
// e2e (the built renderer in Debian's Chromium through the station).
export default defineConfig({
  test: {
    sequence: { sequencer: LabFirstSequencer },
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          // The Pi lab comes up once for every suite that asks for it and goes down once at the end.
          globalSetup: ['test/helpers/build-cli-setup.ts', 'test/lab/global-setup.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 900_000,
          fileParallelism: false
        }
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/helpers/build-cli-setup.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false
        }
      }
    ]
  }
})
