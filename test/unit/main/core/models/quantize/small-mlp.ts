// A small MLP (MatMul-Add-Relu, Gemm with transB, Min against a constant, MatMul) with seeded random
// weights, built here so the dynamic and FP16 tests need no model files. Min is on onnxruntime's
// float16 block list, so the FP16 pass has to keep it in float32 behind Casts.
import { seededInput } from '../../../../../../src/agent/bench/inputs'
import { buildModel } from '../onnx-fixtures'

const f32 = (name: string, dims: number[], values: Float32Array) => ({ name, dataType: 1, dims, rawData: new Uint8Array(values.buffer) })
const signed = (n: number, seed: number, scale = 1) => seededInput(n, seed).map((v) => (v * 2 - 1) * scale)
const io = (name: string, shape: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType: 1, shape: { dim: shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } }
})

export function smallMlp(options: { opset?: number } = {}): Uint8Array {
  return buildModel({
    opset: options.opset,
    inputs: [io('input', ['N', 64])],
    outputs: [io('logits', ['N', 10])],
    nodes: [
      { opType: 'MatMul', name: 'fc1', input: ['input', 'W1'], output: ['h1'] },
      { opType: 'Add', name: 'fc1_bias', input: ['h1', 'B1'], output: ['h1b'] },
      { opType: 'Relu', name: 'relu1', input: ['h1b'], output: ['r1'] },
      { opType: 'Gemm', name: 'fc2', input: ['r1', 'W2', 'B2'], output: ['h2'], attribute: [{ name: 'transB', i: 1, type: 2 }] },
      { opType: 'Min', name: 'cap', input: ['h2', 'six'], output: ['m2'] },
      { opType: 'MatMul', name: 'fc3', input: ['m2', 'W3'], output: ['logits'] }
    ],
    initializers: [
      f32('W1', [64, 48], signed(64 * 48, 11, 0.25)),
      f32('B1', [48], signed(48, 12, 0.1)),
      f32('W2', [32, 48], signed(32 * 48, 13, 0.25)),
      f32('B2', [32], signed(32, 14, 0.1)),
      f32('six', [1], new Float32Array([6])),
      f32('W3', [32, 10], signed(320, 15, 0.3))
    ]
  })
}

/** Only an Add of a constant: nothing for INT8 to speed up. */
export function addOnly(): Uint8Array {
  return buildModel({
    inputs: [io('input', ['N', 64])],
    outputs: [io('logits', ['N', 64])],
    nodes: [{ opType: 'Add', name: 'shift', input: ['input', 'C'], output: ['logits'] }],
    initializers: [f32('C', [64], signed(64, 3))]
  })
}

export const rows = (count: number, seed = 100): Float32Array[] => Array.from({ length: count }, (_, i) => seededInput(64, seed + i).map((v) => v * 2 - 1))
