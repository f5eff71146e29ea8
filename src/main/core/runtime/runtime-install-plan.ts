// Installing a runtime bundle on a device, as data. The lead runs `probe` first: exit 0 means this
// exact runtime is already installed and intact, so `install` is skipped and only `activate` runs.
//
// Upload goes to a per-version directory under incoming/ owned by the SSH user (uploads run without sudo);
// after `sha256sum -c` it becomes root's and is renamed into runtime/. A power cut anywhere leaves
// either the old runtime active or the new one complete: `current` moves only after the rename.
// What the runtime in use already has (by sha256, read on the unit) is hard-linked from it, not sent;
// the rest travels gzipped (packed-files.ts), unpacked on the unit as it arrives, and is checked after.
import path from 'node:path'
import type { RuntimeBundle } from './build-runtime-bundle'
import type { PackedFile } from './packed-files'
import { deviceLayout, SERVICE_NAME, UNIT_PATH, type DeviceLayout } from './device-layout'
import { assertSafeName, checkSumsStep, isSafeName, listVersionsStep, pruneSteps, run, switchLinkSteps, type PlanStep, type RunStep, type UploadStep } from './plan-steps'

export interface RuntimeInstallInput {
  /** From buildRuntimeBundle: its directory on this computer, manifest, upload list and packed files. */
  bundle: Pick<RuntimeBundle, 'dir' | 'manifest' | 'uploadFiles'> & Partial<Pick<RuntimeBundle, 'packed'>>
  /** The account the SSH session logs in as (owner of the upload directory). */
  sshUser: string
  layout?: DeviceLayout
}

/** What the unit's runtime in use holds: `sha256sum` output over its files (reuseProbe), to link what matches. */
export interface RuntimeReuse {
  version: string
  sums: string
}

export interface RuntimeInstallPlan {
  version: string
  /** Exit 0: installed and intact (skip `install`). */
  probe: RunStep
  /** Hashes the files of installed runtime `active` that this one also has; null when there is nothing to ask. */
  reuseProbe(active: string): RunStep | null
  /** Stage (linking what `reuse` shows is already there, sending the rest packed), verify, move into place. */
  install(reuse?: RuntimeReuse | null): PlanStep[]
  /** Bytes `install(reuse)` sends, for progress. */
  sendBytes(reuse?: RuntimeReuse | null): number
  /** Switch runtime/current, install the unit, (re)start the service. */
  activate: RunStep[]
  /** Run when `install` fails part-way: removes the staging directory. */
  cleanup: RunStep[]
}

/** Step id of the hard links from the runtime in use: the installer falls back to sending everything when it fails. */
export const REUSE_STEP_ID = 'runtime-reuse'

export function runtimeInstallPlan(input: RuntimeInstallInput): RuntimeInstallPlan {
  const layout = input.layout ?? deviceLayout()
  const { manifest, uploadFiles } = input.bundle
  const packed: ReadonlyMap<string, PackedFile> = input.bundle.packed ?? new Map()
  assertSafeName('runtime version', manifest.version)
  assertSafeName('SSH user', input.sshUser)
  const join = path.posix.join
  const finalDir = join(layout.runtimeDir, manifest.version)
  const stage = join(layout.incomingDir, `runtime-${manifest.version}`)
  const files = manifest.files
  const dirs = [...new Set(uploadFiles.map((f) => path.posix.dirname(join(stage, f.path))))].sort()

  // Files the runtime in use has byte for byte (its sha256sum says so, not its manifest): Node and ONNX
  // Runtime when only the agent changed. manifest.json and SHA256SUMS always differ: never asked.
  const reusable = (reuse: RuntimeReuse | null | undefined): Set<string> => {
    const out = new Set<string>()
    if (!reuse) return out
    const prefix = `${join(layout.runtimeDir, reuse.version)}/`
    const want = new Map(files.map((f) => [f.path, f.sha256]))
    for (const line of reuse.sums.split('\n')) {
      const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line)
      const rel = m?.[2]?.startsWith(prefix) ? m[2].slice(prefix.length) : null
      if (m && rel && want.get(rel) === m[1]) out.add(rel)
    }
    return out
  }

  // Everything not linked, manifest.json and SHA256SUMS included, so the device can re-check itself
  // later (sha256sum -c).
  const uploadsFor = (linked: ReadonlySet<string>): UploadStep[] =>
    uploadFiles
      .filter((f) => !linked.has(f.path))
      .map((f) => {
        const gz = packed.get(f.path)
        return {
          kind: 'upload',
          id: `runtime-upload-${f.path}`,
          title: `Upload ${f.path}${gz ? ' (gzip)' : ''}`,
          local: gz ? gz.local : path.join(input.bundle.dir, ...f.path.split('/')),
          remote: join(stage, f.path),
          size: gz ? gz.size : f.size,
          sha256: f.sha256,
          mode: f.mode,
          ...(gz ? { gunzip: true } : {})
        }
      })

  const install = (reuse?: RuntimeReuse | null): PlanStep[] => {
    const reused = reusable(reuse)
    const linked = [...reused].sort()
    return [
      run('runtime-stage-clean', 'Remove an interrupted earlier upload', ['rm', '-rf', '--', stage], { sudo: true }),
      run('runtime-stage-create', 'Create the upload directory', ['install', '-d', '-m', '0755', '-o', input.sshUser, '--', layout.incomingDir, stage], { sudo: true }),
      run('runtime-stage-dirs', 'Create the runtime folders', ['mkdir', '-p', '--', ...dirs]),
      // Hard links, not copies: one file on the card for both versions. sudo because the files are
      // root's and the kernel's protected_hardlinks refuses others; nothing ever writes into them.
      ...(reuse && linked.length > 0
        ? [run(REUSE_STEP_ID, `Reuse ${linked.length} files of runtime ${reuse.version} on the unit`, ['env', '-C', join(layout.runtimeDir, reuse.version), 'cp', '-l', '--parents', '-t', stage, '--', ...linked], { sudo: true })]
        : []),
      // Packed files are unpacked on the unit as they arrive (the link is the slow part, not gzip).
      ...uploadsFor(reused),
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
  }

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
    reuseProbe(active) {
      if (active === manifest.version || !isSafeName(active)) return null
      const from = join(layout.runtimeDir, active)
      // Missing files only add a line on stderr: what exists is listed either way.
      return run('runtime-reuse-probe', `Look for files of runtime ${active} to reuse`, ['sha256sum', '--', ...files.map((f) => join(from, f.path))])
    },
    install,
    sendBytes: (reuse) => uploadsFor(reusable(reuse)).reduce((n, u) => n + u.size, 0),
    activate,
    cleanup: [run('runtime-stage-drop', 'Remove the failed upload', ['rm', '-rf', '--', stage], { sudo: true })]
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
