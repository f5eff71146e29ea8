// A small Conv-BN-Relu-MaxPool-Flatten-Gemm classifier with seeded random weights, built here so the
// quantization tests need no model files.
import { seededInput } from '../../../../../../src/agent/bench/inputs'
import { buildModel } from '../onnx-fixtures'

const f32 = (name: string, dims: number[], values: Float32Array) => ({ name, dataType: 1, dims, rawData: new Uint8Array(values.buffer) })
const signed = (n: number, seed: number, scale = 1) => seededInput(n, seed).map((v) => (v * 2 - 1) * scale)
const io = (name: string, shape: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType: 1, shape: { dim: shape.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } }
})

export function smallCnn(options: { inputShape?: (number | string)[] } = {}): Uint8Array {
  return buildModel({
    inputs: [io('input', options.inputShape ?? ['N', 1, 8, 8])],
    outputs: [io('logits', ['N', 3])],
    nodes: [
      { opType: 'Conv', name: 'conv', input: ['input', 'W', 'B'], output: ['c'], attribute: [{ name: 'pads', ints: [1, 1, 1, 1], type: 7 }] },
      { opType: 'BatchNormalization', name: 'bn', input: ['c', 'gamma', 'beta', 'mean', 'var'], output: ['bn'] },
      { opType: 'Relu', name: 'relu', input: ['bn'], output: ['r'] },
      { opType: 'MaxPool', name: 'pool', input: ['r'], output: ['p'], attribute: [{ name: 'kernel_shape', ints: [2, 2], type: 7 }, { name: 'strides', ints: [2, 2], type: 7 }] },
      { opType: 'Flatten', name: 'flat', input: ['p'], output: ['f'] },
      { opType: 'Identity', name: 'id', input: ['GW'], output: ['GW_alias'] },
      { opType: 'Gemm', name: 'fc', input: ['f', 'GW_alias', 'GB'], output: ['logits'], attribute: [{ name: 'transB', i: 1, type: 2 }] }
    ],
    initializers: [
      f32('W', [4, 1, 3, 3], signed(36, 1, 0.5)),
      f32('B', [4], signed(4, 2, 0.1)),
      f32('gamma', [4], seededInput(4, 3).map((v) => 0.5 + v)),
      f32('beta', [4], signed(4, 4, 0.2)),
      f32('mean', [4], signed(4, 5, 0.1)),
      f32('var', [4], seededInput(4, 6).map((v) => 0.5 + v)),
      f32('GW', [3, 64], signed(192, 7, 0.3)),
      f32('GB', [3], signed(3, 8, 0.1))
    ]
  })
}

export const samples = (count: number, seed = 100): Float32Array[] => Array.from({ length: count }, (_, i) => seededInput(64, seed + i))
