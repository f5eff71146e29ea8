// What ONNX Runtime itself makes of a model: does it load, and which inputs and outputs does it see.
// Complements the protobuf summary: a file can be well-formed ONNX and still not load (an op with no
// CPU kernel, an opset newer than the runtime).
import type { InferenceEngine, RuntimeValueInfo } from './inference-engine'

export interface RuntimeInspection {
  engine: string
  inputs: RuntimeValueInfo[]
  outputs: RuntimeValueInfo[]
  /** Time to create the session, optimisation included. */
  loadMs: number
}

export async function inspectWithRuntime(
  engine: InferenceEngine,
  path: string,
  label: string,
  now: () => number = () => performance.now()
): Promise<RuntimeInspection> {
  const started = now()
  const session = await engine.open(path, label)
  const loadMs = now() - started
  try {
    return { engine: engine.description, inputs: [...session.inputs], outputs: [...session.outputs], loadMs }
  } finally {
    await session.close()
  }
}
