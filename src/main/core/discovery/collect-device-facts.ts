// Runs the fact commands through an injected runner and parses what came back.

import { FACT_COMMANDS, parseDeviceFacts, type DeviceFacts, type FactCommandKey, type FactOutputs } from './device-facts'
import type { CommandRunner } from './ports'

export async function collectDeviceFacts(runner: CommandRunner, signal?: AbortSignal): Promise<DeviceFacts> {
  const keys = Object.keys(FACT_COMMANDS) as FactCommandKey[]
  const results = await Promise.allSettled(
    keys.map((key) => runner.run(FACT_COMMANDS[key], signal ? { signal } : undefined))
  )
  const outputs: FactOutputs = {}
  results.forEach((result, i) => {
    // A failed read (no such file, permission) is an absent fact, not an error.
    if (result.status === 'fulfilled' && result.value.exitCode === 0) outputs[keys[i]!] = result.value.stdout
  })
  return parseDeviceFacts(outputs)
}
