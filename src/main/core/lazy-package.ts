// A package loaded on first use instead of at start-up. `edgedock devices list` needs SQLite and the
// contract, not SSH, ONNX's protobuf schema, tar or YAML; loading those at start cost most of the CLI's
// start-up. Synchronous (createRequire), so the functions that use them keep their signatures.
import { createRequire } from 'node:module'

const load = createRequire(import.meta.url)

export function lazyPackage<T>(id: string): () => T {
  let loaded: T | undefined
  return () => (loaded ??= load(id) as T)
}
