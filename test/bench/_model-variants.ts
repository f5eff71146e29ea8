// New versions of a model as a team makes them, for the delta and quantize benchmarks (not a benchmark itself).
import { seededInput } from '../../src/agent/bench/inputs'
import { modelProto, type OnnxModel, type OnnxNode, type OnnxTensor } from '../../src/main/core/models/onnx-schema'

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

/** Weights quantized per tensor, symmetric int8, each behind a DequantizeLinear; activations stay float
 *  (the simplest INT8 file: 4x smaller, no faster). */
export function weightOnlyQdq(bytes: Uint8Array): Uint8Array {
  const model = modelProto().decode(bytes) as unknown as OnnxModel
  const graph = model.graph!
  const dequantize: OnnxNode[] = []
  const initializers: OnnxTensor[] = []
  for (const t of graph.initializer ?? []) {
    if (t.dataType !== 1 || (t.dims?.length ?? 0) < 2 || !t.rawData) {
      initializers.push(t)
      continue
    }
    const raw = t.rawData
    const w = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength))
    const scale = w.reduce((m, v) => Math.max(m, Math.abs(v)), 0) / 127 || 1
    const q = Int8Array.from(w, (v) => Math.max(-127, Math.min(127, Math.round(v / scale))))
    const name = t.name ?? ''
    initializers.push({ name: `${name}_q`, dataType: 3, dims: t.dims, rawData: new Uint8Array(q.buffer) })
    initializers.push({ name: `${name}_scale`, dataType: 1, dims: [], rawData: new Uint8Array(new Float32Array([scale]).buffer) })
    initializers.push({ name: `${name}_zp`, dataType: 3, dims: [], rawData: new Uint8Array([0]) })
    dequantize.push({ opType: 'DequantizeLinear', name: `${name}_dq`, input: [`${name}_q`, `${name}_scale`, `${name}_zp`], output: [name] })
  }
  graph.initializer = initializers
  graph.node = [...dequantize, ...(graph.node ?? [])]
  return modelProto().encode(model).finish()
}
