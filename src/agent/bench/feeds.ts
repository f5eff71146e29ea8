// The tensors the timed loop cycles through, built before timing starts so no run allocates them.
import { sampleBatch, seededInput, type SampleSet } from './inputs'
import type { BenchSession, OrtTensor } from './session'

/** Distinct inputs from a sample set: enough variety for caches, bounded memory for big models. */
const MAX_FEEDS = 100

export function buildFeeds(session: BenchSession, dims: readonly number[], seed: number, set: SampleSet | null): OrtTensor[] {
  if (!set) return [session.tensor(seededInput(dims.reduce((n, d) => n * d, 1), seed), dims)]
  const batch = dims[0] ?? 1
  const count = Math.min(MAX_FEEDS, Math.ceil(set.inputs.length / batch))
  return Array.from({ length: count }, (_, k) => session.tensor(sampleBatch(set, k * batch, batch), dims))
}
