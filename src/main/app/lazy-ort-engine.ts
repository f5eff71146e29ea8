// ONNX Runtime's native binding takes a moment to load; most CLI commands never run a model, so it
// is loaded on first use rather than at start-up.
import type { InferenceEngine } from '../core/models/inference-engine'

export function lazyOrtEngine(): InferenceEngine {
  let engine: Promise<InferenceEngine> | null = null
  const load = () => (engine ??= import('../core/models/ort-engine').then((m) => m.createOrtEngine()))
  let description = 'onnxruntime-node (cpu)'
  return {
    get description() {
      return description
    },
    async open(path, label) {
      const e = await load()
      description = e.description
      return e.open(path, label)
    }
  }
}
