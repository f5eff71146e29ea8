// ONNX Runtime's profile (Chrome trace format) reduced to time per node and per op type. Kernel
// events are cat "Node", named "<node>_kernel_time", with the op type in args.op_name; dur is in µs.
import type { BenchProfile, BenchProfileEntry } from '../protocol'

export const TOP_N = 10
const KERNEL_SUFFIX = '_kernel_time'

interface TraceEvent {
  cat?: unknown
  name?: unknown
  dur?: unknown
  args?: { op_name?: unknown }
}

interface Tally {
  opType: string
  calls: number
  totalUs: number
}

function kernelEvents(trace: unknown): { node: string; opType: string; dur: number }[] {
  const events: unknown = Array.isArray(trace) ? trace : (trace as { traceEvents?: unknown } | null)?.traceEvents
  if (!Array.isArray(events)) return []
  return (events as TraceEvent[]).flatMap((e) => {
    if (e?.cat !== 'Node' || typeof e.name !== 'string' || !e.name.endsWith(KERNEL_SUFFIX) || typeof e.dur !== 'number') return []
    const opType = typeof e.args?.op_name === 'string' ? e.args.op_name : 'unknown'
    return [{ node: e.name.slice(0, -KERNEL_SUFFIX.length), opType, dur: e.dur }]
  })
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000

function top(tallies: Map<string, Tally>, runs: number, totalUs: number): BenchProfileEntry[] {
  return [...tallies]
    .sort(([, a], [, b]) => b.totalUs - a.totalUs)
    .slice(0, TOP_N)
    .map(([name, t]) => ({
      name,
      opType: t.opType,
      calls: t.calls,
      totalUs: t.totalUs,
      avgUsPerRun: round3(t.totalUs / runs),
      percent: totalUs > 0 ? round3((t.totalUs / totalUs) * 100) : 0
    }))
}

/** `runs` is how many inferences the trace covers, so avgUsPerRun is per inference. */
export function summarizeTrace(trace: unknown, runs: number): BenchProfile {
  const events = kernelEvents(trace)
  if (events.length === 0) return { available: false, reason: 'the ONNX Runtime profile held no kernel events' }
  const byNode = new Map<string, Tally>()
  const byOp = new Map<string, Tally>()
  let totalUs = 0
  for (const e of events) {
    totalUs += e.dur
    for (const [map, key] of [[byNode, e.node], [byOp, e.opType]] as const) {
      const t = map.get(key) ?? { opType: e.opType, calls: 0, totalUs: 0 }
      t.calls++
      t.totalUs += e.dur
      map.set(key, t)
    }
  }
  const perRun = Math.max(1, runs)
  return { available: true, runs: perRun, totalUs, nodes: byNode.size, opTypes: byOp.size, topNodes: top(byNode, perRun, totalUs), topOpTypes: top(byOp, perRun, totalUs) }
}
