// The one entry point: float ONNX bytes in, quantized bytes and a report out.
import { ModelExternalDataError } from '../errors'
import { decodeOnnx, parseOnnx } from '../onnx-parse'
import { int64ToNumber, modelProto } from '../onnx-schema'
import { calibrate, calibrationSha256, type CalibrationMethod, type CalibrationOptions, type CalibrationRun } from './calibrate'
import { notQuantizable, QuantizeError } from './errors'
import { WorkGraph } from './graph'
import { preprocess, type PreprocessCounts } from './preprocess'
import { absorbActivations, applyStaticQdq, tensorsToCalibrate } from './qdq-static'

export interface QuantizeOptions {
  /** Only static QDQ is built so far. */
  method?: 'static'
  calibration: Float32Array[]
  calibrationOptions?: Partial<CalibrationOptions>
  perChannel?: boolean
  activationType?: 'uint8' | 'int8'
}

export interface QuantizeReport {
  method: 'static'
  settings: { perChannel: boolean; activationType: 'uint8' | 'int8'; calibration: CalibrationMethod; opset: number }
  preprocess: PreprocessCounts & { reluAbsorbed: number }
  opsBefore: Record<string, number>
  opsAfter: Record<string, number>
  quantized: Record<string, number>
  keptFloat: Record<string, number>
  sizeBefore: number
  sizeAfter: number
  calibration: { samples: number; ranges: number; sha256: string }
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
  const counts = preprocess(g)

  const opsetEntry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')
  const opset = int64ToNumber(opsetEntry?.version)
  let perChannel = options.perChannel ?? true
  if (opset < 13) {
    const blocked = g.nodes.some((n) => changedBefore13.has(n.opType ?? ''))
    if (blocked && opset < 10) throw new QuantizeError('MODEL_OPSET_UNSUPPORTED', `Opset ${opset} is too old for QuantizeLinear; export with opset 13`, `ai.onnx ${opset}`)
    if (blocked) perChannel = false
    else if (opsetEntry) opsetEntry.version = 13
    if (!blocked && int64ToNumber(model.irVersion) < 7) model.irVersion = 7
  }

  const inputs = summary.inputs
  if (inputs.length !== 1 || inputs[0]?.elementType !== 'float32') {
    throw new QuantizeError('MODEL_INPUT_UNSUPPORTED', 'Calibration feeds exactly one float32 input', `${inputs.length} inputs`)
  }
  const input = { name: inputs[0].name, shape: inputs[0].shape }
  const calOptions: CalibrationOptions = { method: 'minmax', ...options.calibrationOptions }
  const ranges = await calibrate(g.finish(), tensorsToCalibrate(g), input, options.calibration, calOptions, run)
  const reluAbsorbed = absorbActivations(g)
  const activationType = options.activationType ?? 'uint8'
  const result = applyStaticQdq(g, ranges, { perChannel, activationType })
  const out = modelProto().encode(g.finish()).finish()
  const after = parseOnnx(out)
  return {
    bytes: out,
    report: {
      method: 'static',
      settings: { perChannel, activationType, calibration: calOptions.method, opset: Math.max(opset, int64ToNumber(opsetEntry?.version)) },
      preprocess: { ...counts, reluAbsorbed },
      opsBefore: summary.opHistogram,
      opsAfter: after.opHistogram,
      quantized: result.quantized,
      keptFloat: result.keptFloat,
      sizeBefore: bytes.length,
      sizeAfter: out.length,
      calibration: { samples: options.calibration.length, ranges: ranges.size, sha256: calibrationSha256(options.calibration) }
    }
  }
}
