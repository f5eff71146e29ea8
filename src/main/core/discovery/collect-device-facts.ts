// Runs the fact commands through an injected runner and parses what came back.

import { FACT_COMMANDS, parseDeviceFacts, type DeviceFacts, type FactCommandKey, type FactOutputs } from './device-facts'
import type { CommandRunner } from './ports'

// OpenSSH allows 10 sessions per connection (MaxSessions); stay well below it when the runner
// multiplexes commands over one SSH connection.
const PARALLEL_COMMANDS = 4

export async function collectDeviceFacts(runner: CommandRunner, signal?: AbortSignal): Promise<DeviceFacts> {
  const queue = Object.keys(FACT_COMMANDS) as FactCommandKey[]
  const outputs: FactOutputs = {}
  async function worker(): Promise<void> {
    for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
      const result = await runner.run(FACT_COMMANDS[key], signal ? { signal } : undefined).catch(() => null)
      // A failed read (no such file, permission) is an absent fact, not an error.
      if (result && result.exitCode === 0) outputs[key] = result.stdout
    }
  }
  await Promise.all(Array.from({ length: PARALLEL_COMMANDS }, worker))
  return parseDeviceFacts(outputs)
}
