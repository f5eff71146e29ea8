// What EdgeDock tells a user about an ONNX file, read from its protobuf alone (no runtime needed).

export type Precision = 'fp32' | 'fp16' | 'bf16' | 'fp64' | 'int8-qdq' | 'int8-qoperator' | 'unknown'

/** Display names, as a technician reads them in the model list. */
export const precisionLabels: Record<Precision, string> = {
  fp32: 'FP32',
  fp16: 'FP16',
  bf16: 'BF16',
  fp64: 'FP64',
  'int8-qdq': 'INT8 QDQ',
  'int8-qoperator': 'INT8 QOperator',
  unknown: 'unknown'
}

export interface TensorInfo {
  name: string
  elementType: string
  /** Numbers are fixed sizes, strings are symbolic (e.g. "N"); null when the file gives no shape. */
  shape: (number | string)[] | null
}

export interface OpsetImport {
  /** "ai.onnx" for the default domain, as tools print it. */
  domain: string
  version: number
}

export interface InitializerTypeStats {
  tensors: number
  elements: number
  bytes: number
}

export interface QuantizationInfo {
  format: 'qdq' | 'qoperator'
  /** Integer element types of the stored weights (e.g. ["int8"], ["uint8"]). */
  weightTypes: string[]
  /** The quantization ops found and how often: QuantizeLinear, QLinearConv, ConvInteger, ... */
  ops: Record<string, number>
}

export interface ModelSummary {
  irVersion: number
  producer: { name: string; version: string }
  opsets: OpsetImport[]
  inputs: TensorInfo[]
  outputs: TensorInfo[]
  nodeCount: number
  /** Op type -> count, subgraphs included; ops outside the default domain are "domain:Op". */
  opHistogram: Record<string, number>
  /** Elements in all initializers (the model's weights and constants). */
  parameterCount: number
  initializerBytes: number
  initializerTypes: Record<string, InitializerTypeStats>
  precision: Precision
  quantization: QuantizationInfo | null
  /** Tensors whose data lives in a side file rather than in the .onnx (the store refuses these). */
  externalDataTensors: string[]
  metadata: Record<string, string>
}
