// onnxruntime-node is not bundled into the agent: its native binding must come from the runtime
// directory pushed for this device's architecture, so it is required from a path at run time.
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type * as Ort from 'onnxruntime-node'

export type OrtModule = typeof Ort

export class RuntimeMissingError extends Error {
  override readonly name = 'RuntimeMissingError'
}

export function bindingPath(ortDir: string, platform = process.platform, arch = process.arch): string {
  return path.join(ortDir, 'bin', 'napi-v6', platform, arch, 'onnxruntime_binding.node')
}

export function loadOrt(ortDir: string): OrtModule {
  // Checked first so a wrong-architecture runtime gives one clear line instead of a dlopen trace.
  const binding = bindingPath(ortDir)
  if (!existsSync(binding)) {
    throw new RuntimeMissingError(`no onnxruntime binding for ${process.platform}/${process.arch} at ${binding}`)
  }
  const requireFromRuntime = createRequire(path.join(ortDir, 'package.json'))
  return requireFromRuntime(ortDir) as OrtModule
}
