// What the deploy jobs need from a unit: the provisioning engine's RemoteShell (argv commands, SFTP
// upload) plus upload progress and HTTP to the inference service on the unit, carried over the same
// SSH connection. The real one wraps an SshSession; unit tests use a fake.
import type { RemoteShell } from '../provision/remote-shell'
import { sshRemoteShell } from '../provision/ssh-remote-shell'
import { httpOnUnit, type HttpOnUnitResponse, type SshSession } from '../ssh'

/** The inference service's port on the unit (resources/device/edgedock-inference.service). */
export const INFERENCE_PORT = 8080

export interface UploadOptions {
  mode: number
  signal?: AbortSignal
  onProgress?: (done: number, total: number) => void
}

export interface InferenceRequest {
  path: string
  method?: 'GET' | 'POST'
  body?: string
  timeoutMs?: number
  signal?: AbortSignal
}

export interface DeviceShell extends RemoteShell {
  /** user@host:port, for messages. */
  readonly where: string
  /** The login user (owner of upload directories; SFTP cannot sudo). */
  readonly user: string
  upload(localPath: string, remotePath: string, opts: UploadOptions): Promise<void>
  /** An HTTP request to the inference service on the unit's own loopback. */
  inference(req: InferenceRequest): Promise<HttpOnUnitResponse>
}

export function isDeviceShell(shell: RemoteShell): shell is DeviceShell {
  return typeof (shell as Partial<DeviceShell>).inference === 'function' && typeof shell.upload === 'function'
}

export function sshDeviceShell(session: SshSession, user: string, where = `${user}@${session.where}`): DeviceShell {
  const base = sshRemoteShell(session)
  return {
    ...base,
    where,
    user,
    upload: async (localPath, remotePath, opts) => {
      await session.put(localPath, remotePath, { mode: opts.mode, signal: opts.signal, onProgress: opts.onProgress })
    },
    inference: (req) => httpOnUnit(session, { port: INFERENCE_PORT, ...req })
  }
}
