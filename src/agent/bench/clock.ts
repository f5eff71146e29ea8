// Time as the bench sees it, injectable so the run-count and duration rules are tested without waiting.
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number
}

export const systemClock: Clock = { now: () => performance.now() }
