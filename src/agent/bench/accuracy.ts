// Top-1 accuracy over a labelled sample set, in a pass of its own after the timed runs so that
// checking answers never costs the timings anything.
import type { BenchAccuracy } from '../protocol'
import { argmaxPerRow } from '../resolve-dims'
import { sampleBatch, type SampleSet } from './inputs'
import type { BenchSession } from './session'

/** Every sample once, in batches of `dims[0]`; the last batch is filled up from the start of the
 *  set (fixed-batch models take nothing smaller) and only its new rows count. */
export async function topOneAccuracy(session: BenchSession, set: SampleSet, dims: readonly number[], signal?: AbortSignal): Promise<BenchAccuracy | null> {
  const batch = dims[0] ?? 1
  let correct = 0
  for (let start = 0; start < set.inputs.length; start += batch) {
    if (signal?.aborted) return null
    const out = await session.run(session.tensor(sampleBatch(set, start, batch), dims))
    const predicted = argmaxPerRow(out.data, out.dims)
    for (let j = 0; j < batch && start + j < set.inputs.length; j++) {
      if (predicted[j] === set.labels[start + j]) correct++
    }
  }
  const samples = set.inputs.length
  return { samples, correct, top1: correct / samples }
}
