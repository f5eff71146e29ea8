// The port through which core runs models. The ONNX Runtime adapter is ort-engine.ts; tests and a
// future device-side or worker-thread engine can stand in for it.

export interface RuntimeValueInfo {
  name: string
  isTensor: boolean
  /** "float32", "float16", "int64", ... as ONNX Runtime names them; "" for non-tensors. */
  elementType: string
  /** Numbers are fixed sizes, strings symbolic dims; null when the runtime does not know. */
  shape: (number | string)[] | null
}

export interface OutputTensor {
  /** Converted to float32 whatever the model's output type, so outputs of FP16/INT8 models compare. */
  data: Float32Array
  dims: number[]
}

export interface InferenceSession {
  readonly inputs: readonly RuntimeValueInfo[]
  readonly outputs: readonly RuntimeValueInfo[]
  /** Feeds one input given as float32 (converted to the input's own float type) and returns every
   *  output by name. */
  run(inputName: string, data: Float32Array, dims: readonly number[]): Promise<Record<string, OutputTensor>>
  close(): Promise<void>
}

export interface InferenceEngine {
  /** For reports: e.g. "onnxruntime-node 1.30.0 (cpu)". */
  readonly description: string
  /** `label` names the model in errors (the technician's name for it, not a temp path). */
  open(path: string, label: string): Promise<InferenceSession>
}
