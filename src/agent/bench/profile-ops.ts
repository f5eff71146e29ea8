// Per-operator times from ONNX Runtime's own profiler, in a session of its own after the timed runs:
// profiling slows every kernel down, so it must not touch the latencies reported beside it.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { errorText } from '../agent-error'
import type { OrtModule } from '../load-ort'
import type { BenchProfile } from '../protocol'
import { summarizeTrace } from './profile-trace'
import { createBenchSession, type BenchSessionOptions, type OrtTensor } from './session'

/** Enough runs for stable per-op shares without making --profile-ops a second benchmark. */
export const PROFILE_RUNS = 100

export interface ProfileRequest {
  ort: OrtModule
  bytes: Uint8Array
  session: Omit<BenchSessionOptions, 'profilePrefix'>
  feed: (session: Awaited<ReturnType<typeof createBenchSession>>) => OrtTensor
  runs: number
  signal?: AbortSignal
}

export async function profileOps(req: ProfileRequest): Promise<BenchProfile> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'edgedock-bench-profile-'))
  try {
    const session = await createBenchSession(req.ort, req.bytes, { ...req.session, profilePrefix: path.join(dir, 'ort') })
    let done = 0
    try {
      const feed = req.feed(session)
      for (; done < req.runs && !req.signal?.aborted; done++) await session.run(feed)
      // Older onnxruntime-node builds have no endProfiling: the result says so instead of failing.
      const end = (session.raw as { endProfiling?: () => unknown }).endProfiling
      if (typeof end !== 'function') return { available: false, reason: `onnxruntime-node ${req.ort.env.versions.common} has no InferenceSession.endProfiling` }
      end.call(session.raw)
    } finally {
      await session.release()
    }
    const file = (await readdir(dir)).find((n) => n.startsWith('ort') && n.endsWith('.json'))
    if (!file) return { available: false, reason: 'ONNX Runtime wrote no profile file' }
    return summarizeTrace(JSON.parse(await readFile(path.join(dir, file), 'utf8')), done)
  } catch (err) {
    return { available: false, reason: `profiling failed: ${errorText(err).split('\n')[0]}` }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
