// New versions of a model as a team makes them, for the delta benchmarks (not a benchmark itself).
import { seededInput } from '../../src/agent/bench/inputs'
import { modelProto } from '../../src/main/core/models/onnx-schema'

/** The last Gemm's weight and bias overwritten in place with seeded values: nothing else moves. */
export function headChanged(bytes: Buffer): Buffer {
  type Model = { graph: { node: { opType: string; input: string[] }[]; initializer: { name: string; rawData: Uint8Array }[] } }
  const m = modelProto().decode(bytes) as unknown as Model
  const last = m.graph.node.filter((n) => n.opType === 'Gemm').at(-1)
  const out = Buffer.from(bytes)
  let seed = 1
  for (const t of m.graph.initializer.filter((t) => last?.input.slice(1).includes(t.name))) {
    const values = seededInput(t.rawData.length / 4, seed++).map((v) => (v - 0.5) * 0.02)
    Buffer.from(values.buffer).copy(out, bytes.indexOf(Buffer.from(t.rawData)))
  }
  return out
}
