import { describe, expect, it } from 'vitest'
import { ModelError } from '../../../../../src/main/core/models/errors'
import { parseOnnx } from '../../../../../src/main/core/models/onnx-parse'
import { modelProto } from '../../../../../src/main/core/models/onnx-schema'
import {
  convIntegerInt8,
  fp16Classifier,
  fp32Classifier,
  garbageBytes,
  qdqClassifier,
  qoperatorClassifier
} from './onnx-fixtures'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return err instanceof ModelError ? err.code : `not a ModelError: ${String(err)}`
  }
  return undefined
}

describe('parseOnnx', () => {
  it('describes an FP32 classifier: IR, opset, producer, I/O, ops, weights', () => {
    const summary = parseOnnx(fp32Classifier())
    expect(summary.irVersion).toBe(8)
    expect(summary.opsets).toEqual([{ domain: 'ai.onnx', version: 13 }])
    expect(summary.producer).toEqual({ name: 'edgedock-test', version: '1' })
    expect(summary.inputs).toEqual([{ name: 'input', elementType: 'float32', shape: ['N', 4] }])
    expect(summary.outputs).toEqual([{ name: 'logits', elementType: 'float32', shape: ['N', 3] }])
    expect(summary.opHistogram).toEqual({ Gemm: 1 })
    expect(summary.parameterCount).toBe(15)
    expect(summary.initializerBytes).toBe(60)
    expect(summary.metadata).toEqual({ author: 'tests' })
    expect(summary.precision).toBe('fp32')
    expect(summary.quantization).toBeNull()
  })

  it('detects FP16 weights behind float32 inputs', () => {
    const summary = parseOnnx(fp16Classifier())
    expect(summary.precision).toBe('fp16')
    expect(summary.initializerTypes.float16).toEqual({ tensors: 2, elements: 15, bytes: 30 })
    expect(summary.inputs[0]?.elementType).toBe('float32')
  })

  it('detects INT8 QDQ and reports int8 weights', () => {
    const summary = parseOnnx(qdqClassifier())
    expect(summary.precision).toBe('int8-qdq')
    expect(summary.quantization).toEqual({
      format: 'qdq',
      weightTypes: ['int8', 'uint8'],
      ops: { DequantizeLinear: 2, QuantizeLinear: 1 }
    })
  })

  it('detects INT8 QOperator from QLinearMatMul even with Quantize/Dequantize at the edges', () => {
    const summary = parseOnnx(qoperatorClassifier())
    expect(summary.precision).toBe('int8-qoperator')
    expect(summary.quantization?.format).toBe('qoperator')
    expect(summary.quantization?.ops.QLinearMatMul).toBe(1)
  })

  it('detects INT8 QOperator from ConvInteger', () => {
    expect(parseOnnx(convIntegerInt8()).precision).toBe('int8-qoperator')
  })

  it('names ops of other domains with their domain', () => {
    const model = modelProto().decode(fp32Classifier()) as unknown as { graph: { node: { domain?: string; opType: string }[] } }
    model.graph.node[0] = { ...model.graph.node[0]!, domain: 'com.microsoft', opType: 'QGemm' }
    const summary = parseOnnx(modelProto().encode(model).finish())
    expect(summary.opHistogram).toEqual({ 'com.microsoft:QGemm': 1 })
    expect(summary.precision).toBe('int8-qoperator')
  })

  it('gives MODEL_MALFORMED for an empty file and for garbage bytes', () => {
    expect(codeOf(() => parseOnnx(new Uint8Array(0)))).toBe('MODEL_MALFORMED')
    expect(codeOf(() => parseOnnx(garbageBytes()))).toBe('MODEL_MALFORMED')
    expect(codeOf(() => parseOnnx(new TextEncoder().encode('{"not": "onnx"}')))).toBe('MODEL_MALFORMED')
  })

  it('gives MODEL_MALFORMED for the file cut at every possible length', () => {
    // A cut between two top-level fields still decodes; the structural checks must catch those too.
    const whole = qdqClassifier()
    const missed: number[] = []
    for (let length = 1; length < whole.length; length++) {
      if (codeOf(() => parseOnnx(whole.subarray(0, length))) !== 'MODEL_MALFORMED') missed.push(length)
    }
    expect(missed).toEqual([])
  })

  it('says the file was cut short when it ends inside a record', () => {
    const whole = fp32Classifier()
    expect(() => parseOnnx(whole.subarray(0, whole.length / 2), 'faces.onnx')).toThrow(/faces\.onnx.*cut short/)
  })

  it('rejects an initializer whose bytes do not match its shape', () => {
    const model = modelProto().decode(fp32Classifier()) as unknown as { graph: { initializer: { rawData: Uint8Array }[] } }
    model.graph.initializer[0]!.rawData = model.graph.initializer[0]!.rawData.subarray(0, 8)
    expect(() => parseOnnx(modelProto().encode(model).finish())).toThrow(/holds 8 bytes where its shape needs 48/)
  })

  it('lists tensors whose weights live in an external file', () => {
    const model = modelProto().decode(fp32Classifier()) as unknown as {
      graph: { initializer: { rawData?: Uint8Array; dataLocation?: number; externalData?: object[] }[] }
    }
    const w = model.graph.initializer[0]!
    delete w.rawData
    w.dataLocation = 1
    w.externalData = [{ key: 'location', value: 'weights.bin' }]
    expect(parseOnnx(modelProto().encode(model).finish()).externalDataTensors).toEqual(['W'])
  })
})
