// Small ONNX models written from scratch with protobufjs, so the tests need no files from outside the
// repository. One tiny 3-class classifier (4 features -> 3 logits: class k follows feature k) in the
// forms a quantization pipeline produces: FP32, INT8 QDQ, INT8 QOperator, FP16, and a ConvInteger
// model with int8 weights that ONNX Runtime's CPU provider cannot run.
import { Float16Array } from '@petamoriken/float16'
import { modelProto } from '../../../../../src/main/core/models/onnx-schema'

const T = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7, float16: 10 } as const
type Shape = (number | string)[]

interface Tensor { name: string; dataType: number; dims: number[]; rawData: Uint8Array }
interface Node { opType: string; input: string[]; output: string[]; name?: string; domain?: string; attribute?: object[] }

function tensor(name: string, dataType: number, dims: number[], values: number[]): Tensor {
  const bytes = (() => {
    switch (dataType) {
      case T.float: return new Uint8Array(new Float32Array(values).buffer)
      case T.float16: return new Uint8Array(new Float16Array(values).buffer)
      case T.uint8: return new Uint8Array(values)
      case T.int8: return new Uint8Array(new Int8Array(values).buffer)
      case T.int64: return new Uint8Array(new BigInt64Array(values.map(BigInt)).buffer)
      default: throw new Error(`fixture cannot write type ${dataType}`)
    }
  })()
  return { name, dataType, dims, rawData: bytes }
}

function valueInfo(name: string, elemType: number, shape: Shape): object {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } }
  }
}

const intAttribute = (name: string, i: number): object => ({ name, i, type: 2 })

export function buildModel(parts: {
  nodes: Node[]
  initializers: Tensor[]
  inputs: object[]
  outputs: object[]
  opset?: number
  metadata?: Record<string, string>
}): Uint8Array {
  return modelProto().encode({
    irVersion: 8,
    producerName: 'edgedock-test',
    producerVersion: '1',
    graph: { name: 'g', node: parts.nodes, initializer: parts.initializers, input: parts.inputs, output: parts.outputs },
    opsetImport: [{ domain: '', version: parts.opset ?? 13 }],
    metadataProps: Object.entries(parts.metadata ?? {}).map(([key, value]) => ({ key, value }))
  }).finish()
}

// Class k follows feature k; feature 3 is a small distraction.
export const weights = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0.1, 0.1, 0.1]
export const bias = [0, 0, 0]
const io = { inputs: [valueInfo('input', T.float, ['N', 4])], outputs: [valueInfo('logits', T.float, ['N', 3])] }

export function fp32Classifier(): Uint8Array {
  return buildModel({
    ...io,
    nodes: [{ opType: 'Gemm', name: 'fc', input: ['input', 'W', 'B'], output: ['logits'] }],
    initializers: [tensor('W', T.float, [4, 3], weights), tensor('B', T.float, [3], bias)],
    metadata: { author: 'tests' }
  })
}

/** Activations quantized to uint8 (scale 1/255), weights stored as int8 (scale 1/127): ORT's QDQ layout. */
export function qdqClassifier(): Uint8Array {
  return buildModel({
    ...io,
    nodes: [
      { opType: 'QuantizeLinear', input: ['input', 'x_scale', 'x_zp'], output: ['x_q'] },
      { opType: 'DequantizeLinear', input: ['x_q', 'x_scale', 'x_zp'], output: ['x_dq'] },
      { opType: 'DequantizeLinear', input: ['W_q', 'w_scale', 'w_zp'], output: ['W_dq'] },
      { opType: 'MatMul', input: ['x_dq', 'W_dq'], output: ['mm'] },
      { opType: 'Add', input: ['mm', 'B'], output: ['logits'] }
    ],
    initializers: [
      tensor('x_scale', T.float, [], [1 / 255]),
      tensor('x_zp', T.uint8, [], [0]),
      tensor('W_q', T.int8, [4, 3], weights.map((w) => Math.round(w * 127))),
      tensor('w_scale', T.float, [], [1 / 127]),
      tensor('w_zp', T.int8, [], [0]),
      tensor('B', T.float, [3], bias)
    ]
  })
}

/** The same classifier computed by QLinearMatMul in uint8. */
export function qoperatorClassifier(): Uint8Array {
  return buildModel({
    ...io,
    nodes: [
      { opType: 'QuantizeLinear', input: ['input', 'x_scale', 'x_zp'], output: ['x_q'] },
      { opType: 'QLinearMatMul', input: ['x_q', 'x_scale', 'x_zp', 'W_q', 'w_scale', 'w_zp', 'y_scale', 'y_zp'], output: ['y_q'] },
      { opType: 'DequantizeLinear', input: ['y_q', 'y_scale', 'y_zp'], output: ['mm'] },
      { opType: 'Add', input: ['mm', 'B'], output: ['logits'] }
    ],
    initializers: [
      tensor('x_scale', T.float, [], [1 / 255]),
      tensor('x_zp', T.uint8, [], [0]),
      tensor('W_q', T.uint8, [4, 3], weights.map((w) => Math.round(w * 255))),
      tensor('w_scale', T.float, [], [1 / 255]),
      tensor('w_zp', T.uint8, [], [0]),
      tensor('y_scale', T.float, [], [2 / 255]),
      tensor('y_zp', T.uint8, [], [0]),
      tensor('B', T.float, [3], bias)
    ]
  })
}

/** FP16 weights with float32 inputs and outputs (onnxconverter-common's keep_io_types layout). */
export function fp16Classifier(): Uint8Array {
  return buildModel({
    ...io,
    nodes: [
      { opType: 'Cast', input: ['input'], output: ['x16'], attribute: [intAttribute('to', T.float16)] },
      { opType: 'MatMul', input: ['x16', 'W'], output: ['mm'] },
      { opType: 'Add', input: ['mm', 'B'], output: ['y16'] },
      { opType: 'Cast', input: ['y16'], output: ['logits'], attribute: [intAttribute('to', T.float)] }
    ],
    initializers: [tensor('W', T.float16, [4, 3], weights), tensor('B', T.float16, [3], bias)]
  })
}

/** ConvInteger with int8 weights: a valid model that ORT's CPU provider has no kernel for. */
export function convIntegerInt8(): Uint8Array {
  return buildModel({
    ...io,
    opset: 13,
    nodes: [
      { opType: 'Reshape', input: ['input', 'img_shape'], output: ['img'] },
      { opType: 'QuantizeLinear', input: ['img', 'x_scale', 'x_zp'], output: ['img_q'] },
      { opType: 'ConvInteger', name: 'conv_int', input: ['img_q', 'W_q', 'x_zp'], output: ['acc'] },
      { opType: 'Cast', input: ['acc'], output: ['acc_f'], attribute: [intAttribute('to', T.float)] },
      { opType: 'Flatten', input: ['acc_f'], output: ['logits'] }
    ],
    initializers: [
      tensor('img_shape', T.int64, [4], [-1, 1, 2, 2]),
      tensor('x_scale', T.float, [], [1 / 255]),
      tensor('x_zp', T.uint8, [], [0]),
      tensor('W_q', T.int8, [3, 1, 2, 2], weights.map((w) => Math.round(w * 127)))
    ]
  })
}

/** A labelled set for the classifier: label = the largest of the first three features. One label is
 *  deliberately wrong, so a faithful model scores exactly 9/10. */
export function classifierSamples(): { inputs: number[][]; labels: number[] } {
  const inputs = [
    [0.9, 0.1, 0.2, 0.5],
    [0.1, 0.8, 0.3, 0.1],
    [0.2, 0.3, 0.7, 0.9],
    [0.6, 0.2, 0.1, 0.0],
    [0.3, 0.9, 0.2, 0.4],
    [0.1, 0.2, 0.95, 0.3],
    [0.7, 0.6, 0.1, 0.2],
    [0.2, 0.5, 0.45, 0.6],
    [0.05, 0.1, 0.6, 0.8],
    [0.8, 0.3, 0.4, 0.1]
  ]
  const labels = inputs.map((row) => row.slice(0, 3).indexOf(Math.max(...row.slice(0, 3))))
  labels[9] = 2 // the wrong label
  return { inputs, labels }
}

/** Deterministic bytes that are not a protobuf message. */
export function garbageBytes(length = 512): Uint8Array {
  const out = new Uint8Array(length)
  let x = 0x2545f491
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/** QLinearConv fed int8 activations with uint8 weights: valid ONNX, but ORT 1.30's CPU provider has no
 *  kernel for that type mix ("Could not find an implementation for QLinearConv(10)"). ConvInteger with
 *  int8 weights, the case older ORT versions refused, does run in 1.30. */
export function qlinearConvMixedTypes(): Uint8Array {
  return buildModel({
    ...io,
    nodes: [
      { opType: 'Reshape', input: ['input', 'img_shape'], output: ['img'] },
      { opType: 'QuantizeLinear', input: ['img', 'scale', 'zp_i8'], output: ['img_q'] },
      { opType: 'QLinearConv', name: 'qconv', input: ['img_q', 'scale', 'zp_i8', 'W_q', 'scale', 'zp_u8', 'scale', 'zp_i8'], output: ['y_q'] },
      { opType: 'DequantizeLinear', input: ['y_q', 'scale', 'zp_i8'], output: ['y'] },
      { opType: 'Flatten', input: ['y'], output: ['logits'] }
    ],
    initializers: [
      tensor('img_shape', T.int64, [4], [-1, 1, 2, 2]),
      tensor('scale', T.float, [], [1 / 127]),
      tensor('zp_i8', T.int8, [], [0]),
      tensor('zp_u8', T.uint8, [], [0]),
      tensor('W_q', T.uint8, [3, 1, 2, 2], weights.map((w) => Math.round(w * 127)))
    ]
  })
}
