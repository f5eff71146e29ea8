// Where things live on the device. The agent reads the same layout (src/agent/model-dir.ts).
import path from 'node:path'

export const DEVICE_ROOT = '/opt/edgedock'
export const SERVICE_NAME = 'edgedock-inference'
export const SERVICE_USER = 'edgedock'
export const UNIT_PATH = `/etc/systemd/system/${SERVICE_NAME}.service`

export interface DeviceLayout {
  root: string
  runtimeDir: string
  modelsDir: string
  /** Link to the runtime in use; the unit starts <runtimeCurrent>/bin/node. */
  runtimeCurrent: string
  modelsCurrent: string
  /** Where uploads land before they are verified and renamed into place. */
  incomingDir: string
}

export function deviceLayout(root = DEVICE_ROOT): DeviceLayout {
  const join = path.posix.join
  return {
    root,
    runtimeDir: join(root, 'runtime'),
    modelsDir: join(root, 'models'),
    runtimeCurrent: join(root, 'runtime', 'current'),
    modelsCurrent: join(root, 'models', 'current'),
    incomingDir: join(root, 'incoming')
  }
}

/** The installed runtime's Node and agent bundle. */
export function unitAgentFiles(layout: DeviceLayout = deviceLayout()): { node: string; agent: string; ortDir: string } {
  const join = path.posix.join
  return { node: join(layout.runtimeCurrent, 'bin', 'node'), agent: join(layout.runtimeCurrent, 'agent', 'edgedock-agent.cjs'), ortDir: join(layout.runtimeCurrent, 'onnxruntime') }
}

/** The agent command on a unit, with the runtime's own ONNX Runtime (as the inference service runs it). */
export function agentOnUnit(args: readonly string[], layout: DeviceLayout = deviceLayout()): string[] {
  const f = unitAgentFiles(layout)
  return ['env', `EDGEDOCK_ORT_DIR=${f.ortDir}`, f.node, f.agent, ...args]
}
