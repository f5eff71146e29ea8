// Which method suits a model, from its op mix, as onnxruntime's guidance has it: static QDQ for
// convolutional networks (ORT fuses the pairs into QLinearConv, the fast path on ARM and x86), dynamic
// for MatMul-heavy and recurrent models (transformers, MLPs), where activation ranges vary per input
// and no calibration set is needed, FP16 when nothing int8 can speed up.
import type { ModelSummary } from '../model-summary'

export type QuantizeMethod = 'static' | 'dynamic' | 'fp16'

/** The reasons, as keys of the en-quantize/zh-quantize catalogues, filled with {conv} and {matmul}. */
export type RecommendReason =
  | 'quantize.reason.alreadyQuantized'
  | 'quantize.reason.noFloatWeights'
  | 'quantize.reason.convStatic'
  | 'quantize.reason.convNoCalibration'
  | 'quantize.reason.matmulDynamic'
  | 'quantize.reason.recurrentDynamic'
  | 'quantize.reason.nothingInteger'

export interface Recommendation {
  /** null: the model should not be quantized again. */
  method: QuantizeMethod | null
  reason: RecommendReason
  conv: number
  matmul: number
}

const count = (ops: Record<string, number>, names: string[]) => names.reduce((sum, n) => sum + (ops[n] ?? 0), 0)

export function recommendMethod(summary: Pick<ModelSummary, 'opHistogram' | 'quantization' | 'initializerTypes'>, hasCalibration: boolean): Recommendation {
  const ops = summary.opHistogram
  const conv = count(ops, ['Conv', 'ConvTranspose'])
  const matmul = count(ops, ['MatMul', 'Gemm'])
  const recurrent = count(ops, ['LSTM', 'GRU', 'RNN', 'com.microsoft:Attention'])
  const pick = (method: QuantizeMethod | null, reason: RecommendReason): Recommendation => ({ method, reason, conv, matmul })
  if (summary.quantization) return pick(null, 'quantize.reason.alreadyQuantized')
  if (!summary.initializerTypes.float32) return pick(null, 'quantize.reason.noFloatWeights')
  if (recurrent > 0) return pick('dynamic', 'quantize.reason.recurrentDynamic')
  if (conv > 0 && conv >= matmul) return pick('static', hasCalibration ? 'quantize.reason.convStatic' : 'quantize.reason.convNoCalibration')
  if (matmul > 0) return pick('dynamic', 'quantize.reason.matmulDynamic')
  return pick('fp16', 'quantize.reason.nothingInteger')
}
