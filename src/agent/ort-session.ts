// One loaded model: an ONNX Runtime session plus what /infer needs to feed it.
import { AgentError, errorText } from './agent-error'
import type { OrtModule } from './load-ort'
import type { ModelShape } from './resolve-dims'

export interface SessionOptions {
  threads: number
}

export interface RunResult {
  data: ArrayLike<number>
  dims: number[]
}

export interface ModelSession {
  readonly inputName: string
  readonly inputType: string
  readonly inputShape: ModelShape
  run(data: readonly number[] | Float32Array, dims: readonly number[]): Promise<RunResult>
  release(): Promise<void>
}

export async function openSession(ort: OrtModule, bytes: Uint8Array, options: SessionOptions): Promise<ModelSession> {
  let session: Awaited<ReturnType<OrtModule['InferenceSession']['create']>>
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: options.threads,
      // Warnings (unused initializers...) would flood journald; errors still throw.
      logSeverityLevel: 3
    })
  } catch (err) {
    throw new AgentError('AGENT_MODEL_LOAD_FAILED', `ONNX Runtime could not load the model: ${errorText(err)}`, 500, { cause: err })
  }
  const input = session.inputMetadata[0]
  const outputName = session.outputNames[0]
  if (!input || outputName === undefined) {
    await session.release()
    throw new AgentError('AGENT_MODEL_LOAD_FAILED', 'the model has no input or no output')
  }
  const inputType = input.isTensor ? input.type : 'non-tensor'
  const inputShape: ModelShape = input.isTensor && input.shape.length > 0 ? [...input.shape] : null
  if (inputType !== 'float32' && inputType !== 'float64') {
    await session.release()
    throw new AgentError('AGENT_MODEL_LOAD_FAILED', `the model's input "${input.name}" is ${inputType}; the agent feeds float32 or float64 inputs`)
  }
  return {
    inputName: input.name,
    inputType,
    inputShape,
    async run(data, dims) {
      const typed = inputType === 'float64' ? Float64Array.from(data) : data instanceof Float32Array ? data : Float32Array.from(data)
      const tensor = new ort.Tensor(inputType, typed, dims)
      let out: Awaited<ReturnType<typeof session.run>>
      try {
        out = await session.run({ [input.name]: tensor }, [outputName])
      } catch (err) {
        throw new AgentError('AGENT_RUN_FAILED', `inference failed: ${errorText(err)}`, 400, { cause: err })
      }
      const value = out[outputName]
      if (!(value instanceof ort.Tensor) || typeof value.data === 'string' || Array.isArray(value.data)) {
        throw new AgentError('AGENT_RUN_FAILED', `output "${outputName}" is not a numeric tensor`)
      }
      const raw = value.data as ArrayLike<number> | BigInt64Array | BigUint64Array
      const numeric = raw instanceof BigInt64Array || raw instanceof BigUint64Array ? Array.from(raw, Number) : raw
      return { data: numeric, dims: [...value.dims] }
    },
    release: () => session.release()
  }
}
