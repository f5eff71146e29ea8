// ONNX Runtime (onnxruntime-node, CPU execution provider) behind the InferenceEngine port.
import { Float16Array } from '@petamoriken/float16'
import * as ort from 'onnxruntime-node'
import { ModelInputUnsupportedError } from './errors'
import type { InferenceEngine, InferenceSession, OutputTensor, RuntimeValueInfo } from './inference-engine'
import { ortLoadError, ortRunError } from './ort-errors'

export interface OrtEngineOptions {
  /** Threads per session; 0 lets ORT pick. Benchmarks pin it so runs compare. */
  intraOpNumThreads?: number
}

export function createOrtEngine(options: OrtEngineOptions = {}): InferenceEngine {
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: options.intraOpNumThreads ?? 0,
    // Warnings about unused initializers and the like would flood the job log; errors still throw.
    logSeverityLevel: 3
  }
  return {
    description: `onnxruntime-node ${ort.env.versions.common} (cpu)`,
    async open(path, label) {
      let session: ort.InferenceSession
      try {
        session = await ort.InferenceSession.create(path, sessionOptions)
      } catch (err) {
        throw ortLoadError(label, err)
      }
      return wrap(session, label)
    }
  }
}

function valueInfo(meta: ort.InferenceSession.ValueMetadata): RuntimeValueInfo {
  if (!meta.isTensor) return { name: meta.name, isTensor: false, elementType: '', shape: null }
  return { name: meta.name, isTensor: true, elementType: meta.type, shape: meta.shape.length > 0 ? [...meta.shape] : null }
}

function wrap(session: ort.InferenceSession, label: string): InferenceSession {
  const inputs = session.inputMetadata.map(valueInfo)
  const outputs = session.outputMetadata.map(valueInfo)
  return {
    inputs,
    outputs,
    async run(inputName, data, dims) {
      const info = inputs.find((i) => i.name === inputName)
      const feed = toInputTensor(label, info, data, dims)
      let result: ort.InferenceSession.OnnxValueMapType
      try {
        result = await session.run({ [inputName]: feed })
      } catch (err) {
        throw ortRunError(label, err)
      }
      const out: Record<string, OutputTensor> = {}
      for (const [name, value] of Object.entries(result)) {
        const converted = toFloat32(value)
        if (converted) out[name] = converted
      }
      return out
    },
    close: () => session.release()
  }
}

function toInputTensor(label: string, info: RuntimeValueInfo | undefined, data: Float32Array, dims: readonly number[]): ort.Tensor {
  switch (info?.elementType) {
    case 'float32':
      return new ort.Tensor('float32', data, dims)
    case 'float16':
      // ORT-node takes float16 as the raw 16-bit patterns.
      return new ort.Tensor('float16', new Uint16Array(new Float16Array(data).buffer), dims)
    case 'float64':
      return new ort.Tensor('float64', Float64Array.from(data), dims)
    default:
      throw new ModelInputUnsupportedError(label, `its input "${info?.name ?? '?'}" is ${info?.elementType || 'not a tensor'}, not a float type`)
  }
}

function toFloat32(value: ort.OnnxValue): OutputTensor | undefined {
  if (!(value instanceof ort.Tensor)) return undefined
  const dims = [...value.dims]
  const data = value.data
  if (data instanceof Float32Array) return { data, dims }
  if (value.type === 'float16' && data instanceof Uint16Array) {
    return { data: Float32Array.from(new Float16Array(data.buffer, data.byteOffset, data.length)), dims }
  }
  if (data instanceof Float64Array || data instanceof Int32Array || data instanceof Int8Array || data instanceof Uint8Array) {
    return { data: Float32Array.from(data), dims }
  }
  if (data instanceof BigInt64Array) return { data: Float32Array.from(data, Number), dims }
  return undefined
}
