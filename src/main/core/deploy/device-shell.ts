// What the deploy jobs need from a unit: the provisioning engine's RemoteShell (argv commands, file
// upload) plus upload progress and HTTP to the inference service on the unit, carried over the same
// SSH connection. The real one wraps an SshSession; unit tests use a fake.
import type { RemoteShell, RunOptions, RunResult } from '../provision/remote-shell'
import { sshRemoteShell } from '../provision/ssh-remote-shell'
import { httpOnUnit, type HttpOnUnitResponse, type SshSession } from '../ssh'

/** The inference service's port on the unit (resources/device/edgedock-inference.service). */
export const INFERENCE_PORT = 8080

export interface UploadOptions {
  mode: number
  /** The local file is gzip, unpacked on the unit as it arrives. */
  gunzip?: boolean
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
  /** The login user: owner of the runtime's upload folder, as `upload` runs without sudo (a `runWithFile` batch may use sudo). */
  readonly user: string
  upload(localPath: string, remotePath: string, opts: UploadOptions): Promise<void>
  /** One command with a local file as its stdin (a whole upload batch in one round trip); its exit status is not judged. */
  runWithFile(argv: string[], localPath: string, opts: RunOptions & Pick<UploadOptions, 'onProgress'>): Promise<RunResult>
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
    // A stream, not SFTP: every upload in a runtime or model plan is followed by its sha256 check on
    // the unit, which is what makes the faster stream safe (stream-upload.ts).
    upload: async (localPath, remotePath, opts) => {
      await session.putStream(localPath, remotePath, { mode: opts.mode, gunzip: opts.gunzip, signal: opts.signal, onProgress: opts.onProgress })
    },
    runWithFile: (argv, localPath, opts) => session.runWithFile(argv, localPath, opts),
    inference: (req) => httpOnUnit(session, { port: INFERENCE_PORT, ...req })
  }
}
