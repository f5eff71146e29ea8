// Where the runtime bundle's ingredients are, for the real runtime installer (provisioning and the
// deploy jobs build it the same way).
import path from 'node:path'
import type { RuntimeInstaller } from '../provision/remote-shell'
import { deviceRuntimeInstaller } from './device-runtime-installer'

export interface RuntimePaths {
  dataDir: string
  resourcesDir: string
  projectRoot: string
}

export function runtimeInstallerFor(p: RuntimePaths, sshUser: string): RuntimeInstaller {
  return deviceRuntimeInstaller({
    cacheDir: path.join(p.dataDir, 'runtime-cache'),
    agentFile: path.join(p.projectRoot, 'out', 'agent', 'edgedock-agent.cjs'),
    unitFile: path.join(p.resourcesDir, 'device', 'edgedock-inference.service'),
    ortPackageDir: path.join(p.projectRoot, 'node_modules', 'onnxruntime-node'),
    sshUser
  })
}
