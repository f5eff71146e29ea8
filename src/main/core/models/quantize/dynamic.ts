// Dynamic quantization as onnxruntime's dynamic quantizer writes it (QOperator format): weights are
// 8-bit constants, activations are quantized while the model runs. One DynamicQuantizeLinear per
// activation tensor (shared by all its readers) gives uint8 data, a scale and a zero point; the integer
// op (MatMulInteger, ConvInteger) accumulates in int32, a Cast brings that back to float and a Mul by
// input scale x weight scale restores the magnitude. No calibration set is needed.
//
// Choices that differ from the letter of ORT's defaults so the result runs, and runs accurately, on
// ORT's CPU provider:
// - ConvInteger has only a uint8 x uint8 kernel there, so Conv weights are uint8 with zero point 128
//   (symmetric around it); a single zero point also lets the scale be per output channel.
// - MatMul weights are uint8 around 128 too (ORT's "U8U8"): with int8 weights, x86 CPUs without
//   VNNI (AVX2 only, many AMD EPYC) multiply with VPMADDUBSW, whose int16 sums saturate; ORT's docs
//   name this and U8U8 as the way out. Measured on a small MLP: cosine to FP32 0.95 with int8 weights, 0.9999 with
//   uint8, on the same machine. Precision is the same 8 bits; ARM has no such trap either way.
// - Gemm (which ORT's dynamic registry leaves float) becomes MatMulInteger too, with the weight
//   transposed at quantize time when transB is set and alpha folded into the scale: classifier heads
//   exported from PyTorch are Gemm, and leaving them float would leave most MLP weights at 32 bits.
import type { OnnxNode } from '../onnx-schema'
import { attrFloat, attrInt, dimsOf, FLOAT, floatValues, intAttr, tensorOf, UINT8, type WorkGraph } from './graph'
import { isFloatTensor, quantizeWeight } from './qdq-static'

export interface DynamicSettings { perChannel: boolean; exclude?: ReadonlySet<string> }
export interface DynamicCounts { quantized: Record<string, number>; keptFloat: Record<string, number> }

/** Ops the dynamic pass rewrites; everything else is left as it is (and is not "kept float"). */
export const dynamicOps = new Set(['MatMul', 'Gemm', 'Conv'])

interface Quantized { data: string; scale: string; zeroPoint: string }

export function applyDynamic(g: WorkGraph, settings: DynamicSettings): DynamicCounts {
  const counts: DynamicCounts = { quantized: {}, keptFloat: {} }
  const floatTensor = isFloatTensor(g)
  const quantizedInputs = new Map<string, Quantized>()

  const quantizeInput = (t: string): Quantized => {
    const known = quantizedInputs.get(t)
    if (known) return known
    const q = { data: g.unique(`${t}_quantized`), scale: g.unique(`${t}_scale`), zeroPoint: g.unique(`${t}_zero_point`) }
    g.nodes.push({ opType: 'DynamicQuantizeLinear', name: g.unique(`${t}_DynamicQuantizeLinear`), input: [t], output: [q.data, q.scale, q.zeroPoint] })
    quantizedInputs.set(t, q)
    return q
  }

  for (const n of [...g.nodes]) {
    const op = n.opType ?? ''
    if (!dynamicOps.has(op) || (n.domain ?? '') !== '') continue
    const rewrite = settings.exclude?.has(n.name ?? '') ? null : op === 'Conv' ? rewriteConv : rewriteMatMul
    const x = n.input?.[0] ?? ''
    const weight = g.inits.get(n.input?.[1] ?? '')
    const values = weight && floatValues(weight)
    const done = rewrite !== null && x !== '' && !g.inits.has(x) && floatTensor(x) && !!weight && !!values && rewrite(g, n, weight, values, settings, () => quantizeInput(x))
    const bucket = done ? counts.quantized : counts.keptFloat
    bucket[op] = (bucket[op] ?? 0) + 1
    if (done) g.nodes = g.nodes.filter((m) => m !== n)
  }
  return counts
}

type Rewrite = (g: WorkGraph, n: OnnxNode, weight: NonNullable<ReturnType<WorkGraph['inits']['get']>>, values: Float32Array, settings: DynamicSettings, input: () => Quantized) => boolean

/** MatMul with a 2-D constant B, or Gemm without transA: MatMulInteger, Cast, Mul (, Add bias). */
const rewriteMatMul: Rewrite = (g, n, weight, values, settings, input) => {
  const op = n.opType ?? ''
  let dims = dimsOf(weight)
  if (dims.length !== 2) return false
  let biasValues: Float32Array | null = null
  let alpha = 1
  if (op === 'Gemm') {
    if (attrInt(n, 'transA', 0) !== 0) return false
    alpha = attrFloat(n, 'alpha', 1)
    const c = n.input?.[2]
    if (c) {
      const bias = g.inits.get(c)
      biasValues = bias ? floatValues(bias) : null
      if (!biasValues) return false
      const beta = attrFloat(n, 'beta', 1)
      biasValues = biasValues.map((v) => v * beta)
    }
    if (attrInt(n, 'transB', 0) === 1) {
      values = transpose(values, dims[0]!, dims[1]!)
      dims = [dims[1]!, dims[0]!]
    }
  }
  const { q, scales } = quantizeWeight(values, dims, settings.perChannel ? 1 : null)
  const base = n.input?.[1] ?? 'W'
  const wq = g.addInit(tensorOf(g.unique(`${base}_quantized`), UINT8, dims, Uint8Array.from(q, (v) => v + 128)))
  const wz = g.addInit(tensorOf(g.unique(`${base}_zero_point`), UINT8, [], new Uint8Array([128])))
  const ws = g.addInit(tensorOf(g.unique(`${base}_scale`), FLOAT, settings.perChannel ? [scales.length] : [], scales.map((s) => s * alpha)))
  const a = input()
  const name = n.name || g.unique(op)
  const integer = g.unique(`${name}_output_quantized`)
  const cast = g.unique(`${name}_output_cast`)
  const scale = g.unique(`${name}_scale`)
  const out = n.output?.[0] ?? ''
  const scaled = biasValues ? g.unique(`${name}_output_scaled`) : out
  g.nodes.push(
    { opType: 'MatMulInteger', name: g.unique(`${name}_quant`), input: [a.data, wq, a.zeroPoint, wz], output: [integer] },
    { opType: 'Cast', name: g.unique(`${name}_cast`), input: [integer], output: [cast], attribute: [intAttr('to', FLOAT)] },
    { opType: 'Mul', name: g.unique(`${name}_scales_mul`), input: [a.scale, ws], output: [scale] },
    { opType: 'Mul', name: g.unique(`${name}_output_scale_mul`), input: [cast, scale], output: [scaled] }
  )
  if (biasValues) {
    const b = g.addInit(tensorOf(g.unique(`${base}_bias`), FLOAT, [biasValues.length], biasValues))
    g.nodes.push({ opType: 'Add', name: g.unique(`${name}_bias_add`), input: [scaled, b], output: [out] })
  }
  return true
}

/** Conv: ConvInteger on uint8 data and uint8 weights (zero point 128), Cast, Mul by the per-channel
 *  scale shaped [1, M, 1, ...], Add of the bias in the same shape. */
const rewriteConv: Rewrite = (g, n, weight, values, settings, input) => {
  const dims = dimsOf(weight)
  if (dims.length < 3) return false
  const channels = dims[0]!
  const bias = n.input?.[2] ? g.inits.get(n.input[2]) : undefined
  const biasValues = bias ? floatValues(bias) : null
  if (n.input?.[2] && !biasValues) return false
  const { q, scales } = quantizeWeight(values, dims, settings.perChannel ? 0 : null)
  const shifted = Uint8Array.from(q, (v) => v + 128)
  const base = n.input?.[1] ?? 'W'
  const broadcast = [1, channels, ...dims.slice(2).map(() => 1)]
  const wq = g.addInit(tensorOf(g.unique(`${base}_quantized`), UINT8, dims, shifted))
  const wz = g.addInit(tensorOf(g.unique(`${base}_zero_point`), UINT8, [], new Uint8Array([128])))
  const ws = g.addInit(tensorOf(g.unique(`${base}_scale`), FLOAT, settings.perChannel ? broadcast : [], scales))
  const a = input()
  const name = n.name || g.unique('Conv')
  const integer = g.unique(`${name}_output_quantized`)
  const cast = g.unique(`${name}_output_cast`)
  const scale = g.unique(`${name}_scale`)
  const out = n.output?.[0] ?? ''
  const scaled = biasValues ? g.unique(`${name}_output_scaled`) : out
  const attributes = (n.attribute ?? []).filter((x) => ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'].includes(x.name ?? ''))
  g.nodes.push(
    { opType: 'ConvInteger', name: g.unique(`${name}_quant`), input: [a.data, wq, a.zeroPoint, wz], output: [integer], attribute: attributes },
    { opType: 'Cast', name: g.unique(`${name}_cast`), input: [integer], output: [cast], attribute: [intAttr('to', FLOAT)] },
    { opType: 'Mul', name: g.unique(`${name}_scales_mul`), input: [a.scale, ws], output: [scale] },
    { opType: 'Mul', name: g.unique(`${name}_output_scale_mul`), input: [cast, scale], output: [scaled] }
  )
  if (biasValues) {
    const b = g.addInit(tensorOf(g.unique(`${base}_bias`), FLOAT, broadcast, biasValues))
    g.nodes.push({ opType: 'Add', name: g.unique(`${name}_bias_add`), input: [scaled, b], output: [out] })
  }
  return true
}

function transpose(values: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(values.length)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = values[r * cols + c]!
  return out
}
