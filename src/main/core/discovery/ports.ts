// The outside world of discovery, as small interfaces the app (or a test) injects.

export interface CommandResult {
  stdout: string
  stderr: string
  exitCode: number
}

/**
 * Runs one command given as an argument array, locally or on a unit (over SSH, after the
 * lead's quoting module turns it into a shell command). Never a shell string.
 */
export interface CommandRunner {
  run(argv: readonly string[], options?: { signal?: AbortSignal }): Promise<CommandResult>
}

export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }
