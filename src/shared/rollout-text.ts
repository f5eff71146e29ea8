// A rollout's stop in English words, for the CLI and job errors (the UI translates the object).
// Kept free of zod so that the CLI can load it before a command runs.
import type { RolloutStop } from './deploy'

/** The English sentence for why a rollout stopped (the CLI's and the job error's; the UI translates the object). */
export function rolloutStopText(stop: RolloutStop): string {
  return stop.reason === 'canary' ? `the canary failed (${stop.units.join(', ')})` : `${unitsText(stop.failed)} failed, more than the ${stop.allowed} allowed`
}

/** "1 unit", "3 units" (English only: the CLI and job errors). */
export function unitsText(n: number): string {
  return `${n} unit${n === 1 ? '' : 's'}`
}
