// FP16 conversion as onnxruntime's float16 converter does it with keep_io_types: float initializers
// become float16, the graph's float inputs get a Cast to float16 and its outputs a Cast back, so the
// model's interface stays float32 and callers need not change. Ops on the block list (ORT's
// DEFAULT_OP_BLOCK_LIST: ops without float16 kernels or whose results float16 ruins) and excluded
// nodes keep running in float32 behind their own Casts.
import { Float16Array } from '@petamoriken/float16'
import type { OnnxNode, OnnxTensor } from '../onnx-schema'
import { attrInt, FLOAT, floatValues, intAttr, type Attr, type WorkGraph } from './graph'

export const FLOAT16 = 10

export const fp16BlockList = new Set([
  'ArrayFeatureExtractor', 'Binarizer', 'CastMap', 'CategoryMapper', 'DictVectorizer', 'FeatureVectorizer', 'Imputer',
  'LabelEncoder', 'LinearClassifier', 'LinearRegressor', 'Normalizer', 'OneHotEncoder', 'RandomUniformLike',
  'SVMClassifier', 'SVMRegressor', 'Scaler', 'TreeEnsembleClassifier', 'TreeEnsembleRegressor', 'ZipMap',
  'NonMaxSuppression', 'TopK', 'RoiAlign', 'Resize', 'Range', 'CumSum', 'Min', 'Max', 'Upsample'
])

/** Ops whose outputs are never float whatever their inputs are. */
const nonFloatOutputs = new Set([
  'Shape', 'Size', 'ArgMax', 'ArgMin', 'NonZero', 'Equal', 'Less', 'LessOrEqual', 'Greater', 'GreaterOrEqual', 'Not', 'And', 'Or',
  'Xor', 'IsNaN', 'IsInf', 'QuantizeLinear', 'DynamicQuantizeLinear', 'MatMulInteger', 'ConvInteger', 'QLinearConv', 'QLinearMatMul'
])

export interface Fp16Settings { exclude?: ReadonlySet<string> }
export interface Fp16Counts { converted: number; keptFloat: Record<string, number>; castsAdded: number }

/** ORT's convert_np_to_float16: values too small for float16 become its smallest subnormal rather
 *  than zero (variances, epsilons), values too large its largest finite value rather than infinity. */
export function toFloat16(values: Float32Array): Float16Array {
  const minPositive = 5.96e-8
  const maxFinite = 65504
  return Float16Array.from(values, (v) => {
    const a = Math.abs(v)
    if (a > 0 && a < minPositive) return Math.sign(v) * minPositive
    if (a > maxFinite) return Math.sign(v) * maxFinite
    return v
  })
}

function fp16Tensor(t: OnnxTensor, name: string): OnnxTensor | null {
  const values = floatValues(t)
  if (!values) return null
  const half = toFloat16(values)
  return { ...t, name, dataType: FLOAT16, rawData: new Uint8Array(half.buffer, half.byteOffset, half.byteLength) }
}

/** Which tensors hold float32 values, walking the graph in order (it is sorted by WorkGraph.finish). */
function floatTensors(g: WorkGraph): Set<string> {
  const float = new Set<string>()
  for (const i of g.graph.input ?? []) if (i.type?.tensorType?.elemType === FLOAT) float.add(i.name ?? '')
  for (const [name, t] of g.inits) if (t.dataType === FLOAT) float.add(name)
  for (const n of g.nodes) {
    const op = n.opType ?? ''
    const outs = n.output ?? []
    let isFloat: boolean
    if (op === 'Cast') isFloat = attrInt(n, 'to', 0) === FLOAT
    else if (op === 'ConstantOfShape') {
      const value = (n.attribute as Attr[] | undefined)?.find((a) => a.name === 'value')?.t
      isFloat = !value || value.dataType === FLOAT
    } else if (op === 'DequantizeLinear') isFloat = true
    else isFloat = !nonFloatOutputs.has(op) && (n.input ?? []).some((x) => float.has(x))
    if (!isFloat) continue
    // TopK and MaxPool give int64 indices as their second output.
    const floatOuts = op === 'TopK' || op === 'MaxPool' ? outs.slice(0, 1) : outs
    for (const o of floatOuts) if (o) float.add(o)
  }
  return float
}

export function convertFp16(g: WorkGraph, settings: Fp16Settings = {}): Fp16Counts {
  g.finish()
  const counts: Fp16Counts = { converted: 0, keptFloat: {}, castsAdded: 0 }
  const float = floatTensors(g)
  const blocked = (n: OnnxNode) => fp16BlockList.has(n.opType ?? '') || !!settings.exclude?.has(n.name ?? '') || (n.domain ?? '') !== ''
  const original = [...g.nodes]
  for (const n of original) {
    if (blocked(n)) counts.keptFloat[n.opType ?? ''] = (counts.keptFloat[n.opType ?? ''] ?? 0) + 1
    else counts.converted += 1
  }

  const readers = (t: string) => original.filter((n) => n.input?.includes(t))
  const rename = (nodes: OnnxNode[], from: string, to: string) => {
    for (const n of nodes) n.input = (n.input ?? []).map((x) => (x === from ? to : x))
  }
  const cast = (from: string, to: string, type: number) => {
    g.nodes.push({ opType: 'Cast', name: g.unique(`${to}_Cast`), input: [from], output: [to], attribute: [intAttr('to', type)] })
    counts.castsAdded += 1
  }

  // Weights: float16 for the converted readers; a float32 copy stays for blocked ones.
  for (const [name, t] of [...g.inits]) {
    if (t.dataType !== FLOAT) continue
    const rs = readers(name)
    const half = rs.filter((n) => !blocked(n))
    if (half.length === 0) continue
    if (rs.length === half.length) {
      const converted = fp16Tensor(t, name)
      if (converted) g.inits.set(name, converted)
      continue
    }
    const copy = fp16Tensor(t, g.unique(`${name}_fp16`))
    if (!copy) continue
    g.addInit(copy)
    rename(half, name, copy.name ?? '')
  }

  // Float32 sources (graph inputs, blocked nodes) feeding converted nodes: a Cast to float16.
  const sources32 = [
    ...(g.graph.input ?? []).map((i) => i.name ?? '').filter((x) => float.has(x) && !g.inits.has(x)),
    ...original.filter(blocked).flatMap((n) => (n.output ?? []).filter((x) => float.has(x)))
  ]
  for (const t of sources32) {
    const half = readers(t).filter((n) => !blocked(n))
    if (half.length === 0) continue
    const t16 = g.unique(`${t}_fp16`)
    cast(t, t16, FLOAT16)
    rename(half, t, t16)
  }

  // Float16 results read by blocked nodes or leaving the graph: the producer writes a float16 twin,
  // a Cast gives back the float32 tensor under its own name.
  const outputs = g.outputNames()
  for (const n of original) {
    if (blocked(n)) continue
    if (n.opType === 'Cast' && attrInt(n, 'to', 0) === FLOAT) n.attribute = [intAttr('to', FLOAT16)]
    if (n.opType === 'ConstantOfShape') {
      const value = (n.attribute as Attr[] | undefined)?.find((a) => a.name === 'value')
      const t = value?.t && fp16Tensor(value.t, value.t.name ?? '')
      if (value && t) value.t = t
    }
    for (const o of n.output ?? []) {
      if (!o || !float.has(o)) continue
      const rs = readers(o)
      if (!outputs.has(o) && !rs.some(blocked)) continue
      const t16 = g.unique(`${o}_fp16`)
      n.output = (n.output ?? []).map((x) => (x === o ? t16 : x))
      rename(rs.filter((r) => !blocked(r)), o, t16)
      cast(t16, o, FLOAT)
    }
  }
  return counts
}
