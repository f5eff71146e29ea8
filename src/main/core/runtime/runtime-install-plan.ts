// Installing a runtime bundle on a device, as data. The lead runs `probe` first: exit 0 means this
// exact runtime is already installed and intact, so `install` is skipped and only `activate` runs.
//
// Upload goes to a per-version directory under incoming/ owned by the SSH user (uploads run without sudo);
// after `sha256sum -c` it becomes root's and is renamed into runtime/. A power cut anywhere leaves
// either the old runtime active or the new one complete: `current` moves only after the rename.
import path from 'node:path'
import type { RuntimeBundle } from './build-runtime-bundle'
import { deviceLayout, SERVICE_NAME, UNIT_PATH, type DeviceLayout } from './device-layout'
import { assertSafeName, checkSumsStep, listVersionsStep, pruneSteps, run, switchLinkSteps, type PlanStep, type RunStep, type UploadStep } from './plan-steps'

export interface RuntimeInstallInput {
  /** From buildRuntimeBundle: its directory on this computer, manifest and upload list. */
  bundle: Pick<RuntimeBundle, 'dir' | 'manifest' | 'uploadFiles'>
  /** The account the SSH session logs in as (owner of the upload directory). */
  sshUser: string
  layout?: DeviceLayout
}

export interface RuntimeInstallPlan {
  version: string
  /** Exit 0: installed and intact (skip `install`). */
  probe: RunStep
  install: PlanStep[]
  /** Switch runtime/current, install the unit, (re)start the service. */
  activate: RunStep[]
  /** Run when `install` fails part-way: removes the staging directory. */
  cleanup: RunStep[]
  /** Bytes `install` uploads, for progress and the disk preflight. */
  uploadBytes: number
}

export function runtimeInstallPlan(input: RuntimeInstallInput): RuntimeInstallPlan {
  const layout = input.layout ?? deviceLayout()
  const { manifest, uploadFiles } = input.bundle
  assertSafeName('runtime version', manifest.version)
  assertSafeName('SSH user', input.sshUser)
  const join = path.posix.join
  const finalDir = join(layout.runtimeDir, manifest.version)
  const stage = join(layout.incomingDir, `runtime-${manifest.version}`)
  const files = manifest.files
  const dirs = [...new Set(uploadFiles.map((f) => path.posix.dirname(join(stage, f.path))))].sort()

  // manifest.json and SHA256SUMS travel too, so the device can re-check itself later (sha256sum -c).
  const uploads: UploadStep[] = uploadFiles.map((f) => ({
    kind: 'upload',
    id: `runtime-upload-${f.path}`,
    title: `Upload ${f.path}`,
    local: path.join(input.bundle.dir, ...f.path.split('/')),
    remote: join(stage, f.path),
    size: f.size,
    sha256: f.sha256,
    mode: f.mode
  }))

  const install: PlanStep[] = [
    run('runtime-stage-clean', 'Remove an interrupted earlier upload', ['rm', '-rf', '--', stage], { sudo: true }),
    run('runtime-stage-create', 'Create the upload directory', ['install', '-d', '-m', '0755', '-o', input.sshUser, '--', layout.incomingDir, stage], { sudo: true }),
    run('runtime-stage-dirs', 'Create the runtime folders', ['mkdir', '-p', '--', ...dirs]),
    ...uploads,
    checkSumsStep('runtime-verify', 'Check every file against its sha256', uploadFiles.map((f) => ({ path: join(stage, f.path), sha256: f.sha256 }))),
    run('runtime-own', 'Make the runtime root-owned', ['chown', '-R', 'root:root', '--', stage], { sudo: true }),
    // The service runs as a dynamic user: it needs read access (and execute on node) only.
    run('runtime-perms', 'Make the runtime readable', ['chmod', '-R', 'u=rwX,go=rX', '--', stage], { sudo: true }),
    run('runtime-exec', 'Mark node executable', ['chmod', '0755', '--', join(stage, 'bin', 'node')], { sudo: true }),
    run('runtime-sync', 'Flush the runtime to disk', ['sync']),
    // A runtime dir that failed the probe is damaged (power cut during an older install): replace it.
    run('runtime-old-clean', 'Remove a damaged copy of this version', ['rm', '-rf', '--', finalDir], { sudo: true }),
    run('runtime-dir', 'Create the runtime directory', ['install', '-d', '-m', '0755', '--', layout.root, layout.runtimeDir, layout.modelsDir], { sudo: true }),
    run('runtime-move', 'Move the runtime into place', ['mv', '-T', '--', stage, finalDir], { sudo: true }),
    run('runtime-move-sync', 'Flush the move to disk', ['sync']),
    // Loads Node and the ONNX Runtime binding on this very unit before anything depends on them.
    run('runtime-selftest', 'Check that Node and ONNX Runtime start on this unit', [join(finalDir, 'bin', 'node'), join(finalDir, 'agent', 'edgedock-agent.cjs'), 'version'])
  ]

  const activate: RunStep[] = [
    run('runtime-models-dir', 'Create the models directory', ['install', '-d', '-m', '0755', '--', layout.root, layout.runtimeDir, layout.modelsDir], { sudo: true }),
    ...switchLinkSteps(layout.runtimeDir, manifest.version, 'runtime'),
    run('unit-install', 'Install the systemd unit', ['install', '-m', '0644', '-o', 'root', '-g', 'root', '--', join(layout.runtimeCurrent, 'systemd', `${SERVICE_NAME}.service`), UNIT_PATH], { sudo: true }),
    run('unit-reload', 'Reload systemd', ['systemctl', 'daemon-reload'], { sudo: true }),
    run('unit-enable', 'Start the service at boot', ['systemctl', 'enable', `${SERVICE_NAME}.service`], { sudo: true }),
    run('unit-restart', 'Restart the inference service', ['systemctl', 'restart', `${SERVICE_NAME}.service`], { sudo: true })
  ]

  return {
    version: manifest.version,
    probe: checkSumsStep('runtime-probe', `Check whether runtime ${manifest.version} is installed`, [
      ...files.map((f) => ({ path: join(finalDir, f.path), sha256: f.sha256 }))
    ]),
    install,
    activate,
    cleanup: [run('runtime-stage-drop', 'Remove the failed upload', ['rm', '-rf', '--', stage], { sudo: true })],
    uploadBytes: uploadFiles.reduce((n, f) => n + f.size, 0)
  }
}

/** Step listing installed runtimes; feed its output to runtimePruneSteps. */
export function runtimeListStep(layout: DeviceLayout = deviceLayout()): RunStep {
  return listVersionsStep('runtime-list', layout.runtimeDir)
}

/** Keeps the active runtime and the newest others up to `keep` (2: one to fall back on). */
export function runtimePruneSteps(findOutput: string, activeVersion: string, keep = 2, layout: DeviceLayout = deviceLayout()): RunStep[] {
  return pruneSteps(layout.runtimeDir, findOutput, keep, [activeVersion], 'runtime')
}
