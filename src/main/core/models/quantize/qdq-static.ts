// Static QDQ in the layout onnxruntime's CPU provider fuses (QLinearConv, QLinearMatMul, QGemm,
// QLinearAdd, ...): every quantized activation gets one QuantizeLinear/DequantizeLinear pair right
// after its producer, weights are int8 symmetric behind a DequantizeLinear, biases int32 with scale
// input scale x weight scale so the fused kernel can add them to its int32 accumulator.
import type { OnnxNode } from '../onnx-schema'
import { attrInt, dimsOf, intAttr, FLOAT, floatValues, INT32, INT8, tensorOf, UINT8, type WorkGraph } from './graph'
import type { Range } from './calibrate'

/** Ops with their own output range; the value lists the inputs that are activations. */
const ownRange: Record<string, (n: OnnxNode) => number[]> = {
  Conv: () => [0],
  Gemm: () => [0],
  MatMul: () => [0, 1],
  Add: (n) => (n.input ?? []).map((_, i) => i),
  Mul: (n) => (n.input ?? []).map((_, i) => i),
  Concat: (n) => (n.input ?? []).map((_, i) => i),
  AveragePool: () => [0],
  GlobalAveragePool: () => [0]
}
/** Ops whose output only moves or picks input values, so it keeps the input's scale (and ORT then
 *  runs them on the 8-bit data directly). */
const sameRange = new Set(['MaxPool', 'Reshape', 'Transpose', 'Flatten', 'Squeeze', 'Unsqueeze', 'Resize'])
const integerProducers = new Set(['Shape', 'Size', 'ArgMax', 'ArgMin', 'NonZero', 'Equal', 'Less', 'Greater', 'Not', 'And', 'Or', 'Range', 'ConstantOfShape'])

export interface StaticSettings { perChannel: boolean; activationType: 'uint8' | 'int8'; exclude?: ReadonlySet<string> }
export interface QuantizedCounts { quantized: Record<string, number>; keptFloat: Record<string, number>; reluAbsorbed: number }

export const isQuantizable = (op: string): boolean => op in ownRange || sameRange.has(op)

/** Every tensor a static pass may need a range for: inputs and outputs of quantizable ops, and the
 *  outputs of Relu/Clip, whose clipped range replaces the producer's once they are absorbed. */
export function tensorsToCalibrate(g: WorkGraph): string[] {
  const names = new Set<string>()
  for (const n of g.nodes) {
    if (isQuantizable(n.opType ?? '')) for (const x of [...(n.input ?? []), ...(n.output ?? [])]) if (x && !g.inits.has(x)) names.add(x)
    if (n.opType === 'Relu' || n.opType === 'Clip') names.add(n.output?.[0] ?? '')
  }
  names.delete('')
  return [...names]
}

/** A Relu, or a Clip whose bounds contain 0, after a quantized op adds nothing once the output is
 *  quantized with the clipped range: QuantizeLinear saturates at that range's ends (ORT removes them too). */
export function absorbActivations(g: WorkGraph): number {
  let absorbed = 0
  const outputs = g.outputNames()
  for (const act of [...g.nodes]) {
    if (act.opType !== 'Relu' && act.opType !== 'Clip') continue
    const x = act.input?.[0] ?? ''
    const producer = g.producer(x)
    if (!producer || !((producer.opType ?? '') in ownRange)) continue
    if (outputs.has(x) || g.consumers(x).length !== 1) continue
    if (act.opType === 'Clip') {
      const bound = (i: number) => { const t = g.inits.get(act.input?.[i] ?? ''); return t ? floatValues(t)?.[0] : undefined }
      const lo = act.input?.[1] ? bound(1) : -Infinity
      const hi = act.input?.[2] ? bound(2) : Infinity
      if (lo === undefined || hi === undefined || lo > 0 || hi < 0) continue
    }
    producer.output = [act.output?.[0] ?? x]
    g.nodes = g.nodes.filter((n) => n !== act)
    absorbed += 1
  }
  return absorbed
}

export function activationParams(range: Range, type: 'uint8' | 'int8'): { scale: number; zeroPoint: number } {
  const [qmin, qmax] = type === 'uint8' ? [0, 255] : [-128, 127]
  const lo = Math.min(range[0], 0)
  const hi = Math.max(range[1], 0)
  const scale = hi - lo > 0 ? (hi - lo) / (qmax - qmin) : 1
  return { scale, zeroPoint: Math.max(qmin, Math.min(qmax, Math.round(qmin - lo / scale))) }
}

/** int8 symmetric in [-127, 127], one scale per slice along `axis` (or one for the whole tensor). */
export function quantizeWeight(values: Float32Array, dims: number[], axis: number | null): { q: Int8Array; scales: Float32Array } {
  const channels = axis === null ? 1 : dims[axis]!
  const inner = axis === null ? 1 : dims.slice(axis + 1).reduce((a, b) => a * b, 1)
  const channelOf = (i: number) => (axis === null ? 0 : Math.floor(i / inner) % channels)
  const absMax = new Float32Array(channels)
  values.forEach((v, i) => { const c = channelOf(i); absMax[c] = Math.max(absMax[c]!, Math.abs(v)) })
  const scales = absMax.map((m) => (m > 0 ? m / 127 : 1))
  const q = Int8Array.from(values, (v, i) => Math.max(-127, Math.min(127, Math.round(v / scales[channelOf(i)]!))))
  return { q, scales }
}

export function applyStaticQdq(g: WorkGraph, ranges: Map<string, Range>, settings: StaticSettings): QuantizedCounts {
  const counts: QuantizedCounts = { quantized: {}, keptFloat: {}, reluAbsorbed: 0 }
  const floatTensor = isFloatTensor(g)
  const params = new Map<string, { scale: number; zeroPoint: number }>()
  const actType = settings.activationType === 'uint8' ? UINT8 : INT8
  const nodes = [...g.nodes]

  const paramsOf = (t: string): { scale: number; zeroPoint: number } | undefined => {
    const known = params.get(t)
    if (known) return known
    const producer = g.producer(t)
    const p = producer && sameRange.has(producer.opType ?? '') ? paramsOf(producer.input?.[0] ?? '') : ranges.get(t) && activationParams(ranges.get(t)!, settings.activationType)
    if (p) params.set(t, p)
    return p
  }

  const toQuantize = new Set<string>()
  const chosen: OnnxNode[] = []
  for (const n of nodes) {
    const op = n.opType ?? ''
    const inputs = op in ownRange ? ownRange[op]!(n) : sameRange.has(op) ? [0] : null
    // Constant operands are weights (handled below) or stay float; only activations get Q/DQ pairs.
    const acts = (inputs ?? []).map((i) => n.input?.[i] ?? '').filter((x) => x && !g.inits.has(x))
    const ok = inputs !== null && acts.length > 0 && acts.every(floatTensor) && (n.domain ?? '') === '' && !settings.exclude?.has(n.name ?? '')
    if (!ok || ![...acts, n.output?.[0] ?? ''].every((x) => paramsOf(x))) {
      counts.keptFloat[op] = (counts.keptFloat[op] ?? 0) + 1
      continue
    }
    chosen.push(n)
    counts.quantized[op] = (counts.quantized[op] ?? 0) + 1
    for (const x of [...acts, n.output?.[0] ?? '']) toQuantize.add(x)
  }

  for (const t of toQuantize) {
    const p = paramsOf(t)!
    const scale = g.addInit(tensorOf(g.unique(`${t}_scale`), FLOAT, [], new Float32Array([p.scale])))
    const zp = g.addInit(tensorOf(g.unique(`${t}_zp`), actType, [], actType === UINT8 ? new Uint8Array([p.zeroPoint]) : new Int8Array([p.zeroPoint])))
    const q = g.unique(`${t}_q`)
    const producer = g.producer(t)
    let source = t
    let target = t
    if (producer) {
      source = g.unique(`${t}_f`)
      producer.output = (producer.output ?? []).map((o) => (o === t ? source : o))
    } else {
      target = g.unique(`${t}_dq`)
      for (const c of g.consumers(t)) c.input = (c.input ?? []).map((x) => (x === t ? target : x))
    }
    g.nodes.push({ opType: 'QuantizeLinear', name: g.unique(`${t}_Q`), input: [source, scale, zp], output: [q] })
    g.nodes.push({ opType: 'DequantizeLinear', name: g.unique(`${t}_DQ`), input: [q, scale, zp], output: [target] })
  }

  for (const n of chosen) quantizeConstants(g, n, params, settings)
  return counts
}

function quantizeConstants(g: WorkGraph, n: OnnxNode, params: Map<string, { scale: number }>, settings: StaticSettings): void {
  const op = n.opType ?? ''
  if (op !== 'Conv' && op !== 'Gemm' && op !== 'MatMul') return
  const weightName = n.input?.[1] ?? ''
  const weight = g.inits.get(weightName)
  const values = weight && floatValues(weight)
  if (!weight || !values) return
  const dims = dimsOf(weight)
  const axis = !settings.perChannel || dims.length < 2 ? null : op === 'Conv' ? 0 : op === 'Gemm' ? (attrInt(n, 'transB', 0) ? 0 : 1) : dims.length === 2 ? 1 : null
  const { q, scales } = quantizeWeight(values, dims, axis)
  // Short names (as for activations: _DQ the node, _dq its output): in a small model the names weigh
  // as much as the int8 weights (ORT's _DequantizeLinear_Output would add 0.2 % to the digits model).
  const base = g.unique(weightName)
  const scaleDims = axis === null ? [] : [scales.length]
  const wq = g.addInit(tensorOf(`${base}_quantized`, INT8, dims, q))
  const ws = g.addInit(tensorOf(`${base}_scale`, FLOAT, scaleDims, scales))
  const wz = g.addInit(tensorOf(`${base}_zero_point`, INT8, scaleDims, new Int8Array(scales.length)))
  const wdq = `${base}_dq`
  const axisAttr = axis === null ? [] : [intAttr('axis', axis)]
  g.nodes.push({ opType: 'DequantizeLinear', name: `${base}_DQ`, input: [wq, ws, wz], output: [wdq], attribute: axisAttr })
  n.input = n.input?.map((x, i) => (i === 1 ? wdq : x))

  const biasName = n.input?.[2] ?? ''
  const bias = g.inits.get(biasName)
  const biasValues = bias && floatValues(bias)
  const inputScale = params.get(n.input?.[0] ?? '')?.scale
  if (!bias || !biasValues || inputScale === undefined || (op === 'Gemm' && (attrFloat1(n, 'beta') !== 1 || biasValues.length !== scales.length && scales.length !== 1))) return
  const bScales = Float32Array.from(biasValues, (_, i) => inputScale * scales[scales.length === 1 ? 0 : i]!)
  const bq = Int32Array.from(biasValues, (v, i) => Math.max(-2147483648, Math.min(2147483647, Math.round(v / bScales[i]!))))
  const bBase = g.unique(biasName)
  const bqName = g.addInit(tensorOf(`${bBase}_quantized`, INT32, dimsOf(bias), bq))
  const bsName = g.addInit(tensorOf(`${bBase}_scale`, FLOAT, [bScales.length], bScales))
  const bdq = `${bBase}_dq`
  // No zero point: an int32 bias's is 0 by definition, and DequantizeLinear's default; ORT's fusion
  // into QLinearConv/QGemm reads only the int32 values. (ORT's own quantizer writes one of zeros: 4
  // bytes per output channel, 0.3 % of the digits model.)
  g.nodes.push({ opType: 'DequantizeLinear', name: `${bBase}_DQ`, input: [bqName, bsName], output: [bdq], attribute: [intAttr('axis', 0)] })
  n.input = n.input?.map((x, i) => (i === 2 ? bdq : x))
}

const attrFloat1 = (n: OnnxNode, name: string): number =>
  (n.attribute as { name?: string; f?: number }[] | undefined)?.find((a) => a.name === name)?.f ?? 1

/** Exported graphs carry no types for inner tensors; an integer-producing op upstream (Shape,
 *  ArgMax, a Cast to non-float) marks a tensor as not quantizable. */
export function isFloatTensor(g: WorkGraph): (t: string) => boolean {
  const memo = new Map<string, boolean>()
  const inputs = new Map((g.graph.input ?? []).map((i) => [i.name ?? '', i.type?.tensorType?.elemType === FLOAT]))
  const check = (t: string, depth: number): boolean => {
    const known = memo.get(t)
    if (known !== undefined) return known
    const init = g.inits.get(t)
    let result: boolean
    if (init) result = init.dataType === FLOAT
    else if (inputs.has(t)) result = inputs.get(t)!
    else {
      const p = g.producer(t)
      const op = p?.opType ?? ''
      if (!p || integerProducers.has(op) || depth > 2000) result = false
      else if (op === 'Cast') result = attrInt(p, 'to', 0) === FLOAT
      else result = check(p.input?.[0] ?? '', depth + 1)
    }
    memo.set(t, result)
    return result
  }
  return (t) => check(t, 0)
}
