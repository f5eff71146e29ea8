// The one entry point: float ONNX bytes in, quantized bytes and a report out.
import { ModelExternalDataError } from '../errors'
import { decodeOnnx, parseOnnx } from '../onnx-parse'
import { int64ToNumber, modelProto } from '../onnx-schema'
import { calibrate, calibrationSha256, type CalibrationMethod, type CalibrationOptions, type CalibrationRun } from './calibrate'
import { notQuantizable, QuantizeError, unknownExclusion } from './errors'
import { applyDynamic } from './dynamic'
import { convertFp16 } from './fp16'
import { WorkGraph } from './graph'
import { preprocess, type PreprocessCounts } from './preprocess'
import { absorbActivations, applyStaticQdq, tensorsToCalibrate } from './qdq-static'
import type { QuantizeMethod } from './recommend'

export interface QuantizeOptions {
  /** Defaults to 'static', which needs `calibration`; 'dynamic' and 'fp16' need none. */
  method?: QuantizeMethod
  calibration?: Float32Array[]
  calibrationOptions?: Partial<CalibrationOptions>
  perChannel?: boolean
  activationType?: 'uint8' | 'int8'
  /** Node names to leave in float32. */
  exclude?: string[]
  /** Written into the result's metadata_props (the lineage), replacing entries of the same key. */
  metadata?: Record<string, string>
}

export interface QuantizeReport {
  method: QuantizeMethod
  settings: {
    perChannel: boolean
    /** null for methods whose activations are not stored quantized (dynamic, fp16). */
    activationType: 'uint8' | 'int8' | null
    calibration: CalibrationMethod | null
    opset: number
    exclude: string[]
  }
  preprocess: PreprocessCounts & { reluAbsorbed: number }
  opsBefore: Record<string, number>
  opsAfter: Record<string, number>
  quantized: Record<string, number>
  keptFloat: Record<string, number>
  sizeBefore: number
  sizeAfter: number
  /** null when no calibration set was used. */
  calibration: { samples: number; ranges: number; sha256: string } | null
}

/** Opsets older than 13 changed the meaning of these ops, so bumping the version would be wrong. */
const changedBefore13 = new Set(['Squeeze', 'Unsqueeze', 'Split', 'ReduceSum', 'Clip', 'Resize', 'Upsample', 'Pad', 'Slice', 'TopK', 'BatchNormalization', 'Dropout'])

export async function quantizeModel(bytes: Uint8Array, options: QuantizeOptions, run: CalibrationRun = {}): Promise<{ bytes: Uint8Array; report: QuantizeReport }> {
  const summary = parseOnnx(bytes)
  if (summary.externalDataTensors.length > 0) throw new ModelExternalDataError('model.onnx', summary.externalDataTensors[0] ?? '')
  if (summary.quantization) throw notQuantizable(`it is already quantized (${summary.precision})`)
  if (!summary.initializerTypes.float32) throw notQuantizable('it has no float32 weights')
  const model = decodeOnnx(bytes, 'model.onnx')
  const g = new WorkGraph(model)
  const exclude = options.exclude ?? []
  const nodeNames = new Set(g.nodes.map((n) => n.name ?? ''))
  const unknown = exclude.filter((name) => !nodeNames.has(name))
  if (unknown.length > 0) throw unknownExclusion(unknown)
  const counts = preprocess(g)
  const method = options.method ?? 'static'

  const opsetEntry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')
  const opset = int64ToNumber(opsetEntry?.version)
  let perChannel = options.perChannel ?? true
  if (opset < 13) {
    const blocked = g.nodes.some((n) => changedBefore13.has(n.opType ?? ''))
    if (blocked && opset < 10 && method === 'static') throw new QuantizeError('MODEL_OPSET_UNSUPPORTED', `Opset ${opset} is too old for QuantizeLinear; export with opset 13`, `ai.onnx ${opset}`)
    if (blocked) perChannel = false
    else if (opsetEntry) opsetEntry.version = 13
    if (!blocked && int64ToNumber(model.irVersion) < 7) model.irVersion = 7
  }

  const base = { opsBefore: summary.opHistogram, sizeBefore: bytes.length }
  const finish = (quantized: Record<string, number>, keptFloat: Record<string, number>, settings: QuantizeReport['settings'], calibration: QuantizeReport['calibration'], reluAbsorbed = 0) => {
    const extra = options.metadata ?? {}
    model.metadataProps = [...(model.metadataProps ?? []).filter((p) => !(p.key && p.key in extra)), ...Object.entries(extra).map(([key, value]) => ({ key, value }))]
    const out = modelProto().encode(g.finish()).finish()
    const report: QuantizeReport = {
      method, settings, preprocess: { ...counts, reluAbsorbed }, ...base, opsAfter: parseOnnx(out).opHistogram,
      quantized, keptFloat, sizeAfter: out.length, calibration
    }
    return { bytes: out, report }
  }
  const currentOpset = () => Math.max(opset, int64ToNumber(opsetEntry?.version))
  if (method === 'fp16') {
    const result = convertFp16(g, { exclude: new Set(exclude) })
    if (result.converted === 0) throw notQuantizable('no op can run in float16')
    return finish({ float16: result.converted }, result.keptFloat, { perChannel: false, activationType: null, calibration: null, opset: currentOpset(), exclude }, null)
  }
  if (method === 'dynamic') {
    // DynamicQuantizeLinear arrived in opset 11; older graphs are not moved forward here.
    if (currentOpset() < 11) throw new QuantizeError('MODEL_OPSET_UNSUPPORTED', `Opset ${currentOpset()} is too old for DynamicQuantizeLinear; export with opset 13`, `ai.onnx ${currentOpset()}`)
    const result = applyDynamic(g, { perChannel: options.perChannel ?? true, exclude: new Set(exclude) })
    if (Object.keys(result.quantized).length === 0) throw notQuantizable('it has no MatMul, Gemm or Conv with constant float weights for dynamic quantization')
    return finish(result.quantized, result.keptFloat, { perChannel: options.perChannel ?? true, activationType: null, calibration: null, opset: currentOpset(), exclude }, null)
  }

  const inputs = summary.inputs
  if (inputs.length !== 1 || inputs[0]?.elementType !== 'float32') {
    throw new QuantizeError('MODEL_INPUT_UNSUPPORTED', 'Calibration feeds exactly one float32 input', `${inputs.length} inputs`)
  }
  const input = { name: inputs[0].name, shape: inputs[0].shape }
  const calOptions: CalibrationOptions = { method: 'minmax', ...options.calibrationOptions }
  const calibration = options.calibration ?? []
  const ranges = await calibrate(g.finish(), tensorsToCalibrate(g), input, calibration, calOptions, run)
  const reluAbsorbed = absorbActivations(g)
  const activationType = options.activationType ?? 'uint8'
  const result = applyStaticQdq(g, ranges, { perChannel, activationType, exclude: new Set(exclude) })
  return finish(
    result.quantized,
    result.keptFloat,
    { perChannel, activationType, calibration: calOptions.method, opset: currentOpset(), exclude },
    { samples: calibration.length, ranges: ranges.size, sha256: calibrationSha256(calibration) },
    reluAbsorbed
  )
}
