// How a model's precision is named from its graph alone.
//
// - INT8 QOperator: the graph computes in integer ops (QLinearConv, QLinearMatMul, MatMulInteger,
//   ConvInteger, and the com.microsoft QLinear*/QGemm family). Such graphs also hold QuantizeLinear /
//   DequantizeLinear at their edges, so this test comes first.
// - INT8 QDQ: float ops wrapped in QuantizeLinear/DequantizeLinear pairs; the runtime fuses them.
//   (8-bit either way: ORT's default QDQ is uint8 activations with int8 weights.)
// - Otherwise the float type holding most initializer bytes (FP32, FP16, ...). An FP16 model saved
//   with keep_io_types has float32 inputs and Casts, but its weights are float16: weights decide.
//   With no float weights at all, the float type of the inputs decides.
import type { InitializerTypeStats, Precision, QuantizationInfo, TensorInfo } from './model-summary'

const qOperatorOps = new Set([
  'QLinearConv',
  'QLinearMatMul',
  'MatMulInteger',
  'ConvInteger',
  'com.microsoft:QLinearAdd',
  'com.microsoft:QLinearMul',
  'com.microsoft:QLinearConcat',
  'com.microsoft:QLinearAveragePool',
  'com.microsoft:QLinearGlobalAveragePool',
  'com.microsoft:QLinearLeakyRelu',
  'com.microsoft:QLinearSigmoid',
  'com.microsoft:QLinearSoftmax',
  'com.microsoft:QLinearConv',
  'com.microsoft:QGemm',
  'com.microsoft:DynamicQuantizeMatMul',
  'com.microsoft:MatMulIntegerToFloat'
])

const qdqOps = new Set([
  'QuantizeLinear',
  'DequantizeLinear',
  'com.microsoft:QuantizeLinear',
  'com.microsoft:DequantizeLinear',
  'DynamicQuantizeLinear'
])

const integerWeightTypes = new Set(['int8', 'uint8', 'int4', 'uint4', 'int16', 'uint16'])

const floatPrecision: Record<string, Precision> = {
  float32: 'fp32',
  float16: 'fp16',
  bfloat16: 'bf16',
  float64: 'fp64'
}

export interface PrecisionVerdict {
  precision: Precision
  quantization: QuantizationInfo | null
}

export function classifyPrecision(
  opHistogram: Record<string, number>,
  initializerTypes: Record<string, InitializerTypeStats>,
  inputs: readonly TensorInfo[]
): PrecisionVerdict {
  const qOperator = pick(opHistogram, qOperatorOps)
  const qdq = pick(opHistogram, qdqOps)
  const weightTypes = Object.keys(initializerTypes)
    .filter((t) => integerWeightTypes.has(t))
    .sort()
  if (Object.keys(qOperator).length > 0) {
    return { precision: 'int8-qoperator', quantization: { format: 'qoperator', weightTypes, ops: { ...qdq, ...qOperator } } }
  }
  if (Object.keys(qdq).length > 0) {
    return { precision: 'int8-qdq', quantization: { format: 'qdq', weightTypes, ops: qdq } }
  }
  return { precision: dominantFloat(initializerTypes, inputs), quantization: null }
}

function pick(histogram: Record<string, number>, names: ReadonlySet<string>): Record<string, number> {
  const found: Record<string, number> = {}
  for (const [op, count] of Object.entries(histogram)) if (names.has(op)) found[op] = count
  return found
}

function dominantFloat(types: Record<string, InitializerTypeStats>, inputs: readonly TensorInfo[]): Precision {
  let best: Precision = 'unknown'
  let bestBytes = 0
  for (const [type, stats] of Object.entries(types)) {
    const precision = floatPrecision[type]
    if (precision !== undefined && stats.bytes > bestBytes) {
      best = precision
      bestBytes = stats.bytes
    }
  }
  if (best !== 'unknown') return best
  for (const input of inputs) {
    const precision = floatPrecision[input.elementType]
    if (precision !== undefined) return precision
  }
  return 'unknown'
}
