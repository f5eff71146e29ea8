// The benchmark's own ONNX Runtime session: unlike the service's, it sets inter-op threads and can
// turn ORT's profiler on, and it feeds prebuilt tensors so the timed loop allocates nothing.
import { AgentError, errorText } from '../agent-error'
import type { OrtModule } from '../load-ort'
import type { ModelShape } from '../resolve-dims'

type OrtSession = Awaited<ReturnType<OrtModule['InferenceSession']['create']>>
export type OrtTensor = InstanceType<OrtModule['Tensor']>

export interface BenchSessionOptions {
  intraOpThreads: number
  interOpThreads: number
  /** Path prefix for ORT's profile file; profiling is off without it. */
  profilePrefix?: string
}

export interface BenchSession {
  readonly raw: OrtSession
  readonly inputName: string
  readonly inputType: 'float32' | 'float64'
  readonly inputShape: ModelShape
  readonly outputName: string
  tensor(data: Float32Array, dims: readonly number[]): OrtTensor
  /** Runs once and returns the first output, flattened. */
  run(feed: OrtTensor): Promise<{ data: ArrayLike<number>; dims: number[] }>
  /**
   * What the timed loop calls: the feed map and the fetch list are built once here, and the output is
   * not read, so a run costs what ORT costs (a bare loop's overhead, not a few object allocations more).
   * ORT's own error comes through as it is: wrap it with `runFailed` outside the loop.
   */
  timedRun(feed: OrtTensor): () => Promise<unknown>
  release(): Promise<void>
}

/** ORT's failure of a run as the agent reports it; an AgentError passes through. */
export function runFailed(err: unknown): AgentError {
  if (err instanceof AgentError) return err
  return new AgentError('AGENT_RUN_FAILED', `inference failed: ${errorText(err).split('\n')[0]}`, 500, { cause: err })
}

export async function createBenchSession(ort: OrtModule, bytes: Uint8Array, options: BenchSessionOptions): Promise<BenchSession> {
  let session: OrtSession
  try {
    session = await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      intraOpNumThreads: options.intraOpThreads,
      interOpNumThreads: options.interOpThreads,
      logSeverityLevel: 3,
      ...(options.profilePrefix ? { enableProfiling: true, profileFilePrefix: options.profilePrefix } : {})
    })
  } catch (err) {
    throw new AgentError('AGENT_MODEL_LOAD_FAILED', `ONNX Runtime could not load the model: ${errorText(err).split('\n')[0]}`, 500, { cause: err })
  }
  const input = session.inputMetadata[0]
  const outputName = session.outputNames[0]
  const inputType = input?.isTensor ? input.type : 'non-tensor'
  if (!input || outputName === undefined || (inputType !== 'float32' && inputType !== 'float64')) {
    await session.release()
    const why = !input || outputName === undefined ? 'the model has no input or no output' : `the model's input "${input.name}" is ${inputType}; bench feeds float32 or float64 inputs`
    throw new AgentError('AGENT_MODEL_LOAD_FAILED', why)
  }
  const inputShape: ModelShape = input.isTensor && input.shape.length > 0 ? [...input.shape] : null
  return {
    raw: session,
    inputName: input.name,
    inputType,
    inputShape,
    outputName,
    tensor: (data, dims) => new ort.Tensor(inputType, inputType === 'float64' ? Float64Array.from(data) : data, [...dims]),
    async run(feed) {
      let out: Awaited<ReturnType<OrtSession['run']>>
      try {
        out = await session.run({ [input.name]: feed }, [outputName])
      } catch (err) {
        throw runFailed(err)
      }
      const value = out[outputName] as OrtTensor | undefined
      const data = value?.data
      if (!value || typeof data === 'string' || Array.isArray(data) || data === undefined) throw new AgentError('AGENT_RUN_FAILED', `output "${outputName}" is not a numeric tensor`)
      const numeric = data instanceof BigInt64Array || data instanceof BigUint64Array ? Array.from(data, Number) : (data as ArrayLike<number>)
      return { data: numeric, dims: [...value.dims] }
    },
    timedRun(feed) {
      const feeds = { [input.name]: feed }
      const fetches = [outputName]
      return () => session.run(feeds, fetches)
    },
    release: () => session.release()
  }
}
