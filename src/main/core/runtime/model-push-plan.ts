// Pushing one model version to a device, as data. The upload lands in a dot-named staging directory
// inside models/ (same filesystem, so the final rename is atomic; the agent ignores dot names), is
// checked with sha256sum on the device, flushed, made root's, renamed to models/<version>, and only
// then does `current` move. Rollback is `modelSwitchSteps(previousVersion)`.
//
// After a power cut: staging leftovers are removed by the next push; a complete models/<version>
// makes `probe` pass, so the retry only switches; `current` always names a complete directory.
import path from 'node:path'
import type { HealthResponse } from '../../../agent/protocol'
import { agentOnUnit, deviceLayout, type DeviceLayout } from './device-layout'
import { META_FILE, MODEL_FILE, VERIFIED_FILE } from '../../../shared/model-dir-files'
import { assertSafeName, checkSumsStep, listVersionsStep, pruneSteps, run, switchLinkSteps, type PlanStep, type RunStep } from './plan-steps'

export { META_FILE, MODEL_FILE } from '../../../shared/model-dir-files'
const DELTA_FILE = 'model.delta.br'

export interface ModelPushInput {
  name: string
  version: string
  sha256: string
  size: number
  /** The model file on this computer (the library's content-addressed copy). */
  localFile: string
  sshUser: string
  layout?: DeviceLayout
}

export interface ModelPushPlan {
  version: string
  /** Exit 0: models/<version> is already there and intact (skip `upload`). */
  probe: RunStep
  /** Prints the meta.json paths of versions on the unit that name the same sha256 (see `sameContentVersions`). */
  findSame: RunStep
  /** Prints the meta.json of the version `current` names (a delta's base). */
  currentMeta: RunStep
  upload: PlanStep[]
  /** `upload` with the file taken from another version's directory on the unit instead of sent. */
  reuse(fromVersion: string): PlanStep[]
  /** `upload` with a delta sent instead (see core/deploy/model-delta.ts), applied by the agent to `baseVersion`'s file. */
  delta(baseVersion: string, deltaFile: { local: string; size: number; sha256: string }): PlanStep[]
  /** Moves `current` to this version; the agent reloads on its own. */
  activate: RunStep[]
  /** Run when `upload` fails part-way: removes the staging directory (a 45 MB model would stay). */
  cleanup: RunStep[]
}

export function modelMetaJson(name: string, version: string, sha256: string): string {
  return `${JSON.stringify({ name, version, sha256 })}\n`
}

export function modelPushPlan(input: ModelPushInput): ModelPushPlan {
  const layout = input.layout ?? deviceLayout()
  assertSafeName('model version', input.version)
  assertSafeName('SSH user', input.sshUser)
  if (!/^[0-9a-f]{64}$/.test(input.sha256)) throw new Error(`not a sha256: ${input.sha256}`)
  const join = path.posix.join
  const finalDir = join(layout.modelsDir, input.version)
  const stage = join(layout.modelsDir, `.incoming-${input.version}`)
  const meta = modelMetaJson(input.name, input.version, input.sha256)

  const stageWith = (...file: PlanStep[]): PlanStep[] => [
    run('model-stage-clean', 'Remove an interrupted earlier upload', ['rm', '-rf', '--', stage], { sudo: true }),
    run('model-stage-create', 'Create the upload directory', ['install', '-d', '-m', '0755', '-o', input.sshUser, '--', stage], { sudo: true }),
    ...file,
    { kind: 'write', id: 'model-meta', title: 'Write meta.json', remote: join(stage, META_FILE), content: meta, mode: 0o644 },
    checkSumsStep('model-verify', 'Check the model against its sha256 on the unit', [{ path: join(stage, MODEL_FILE), sha256: input.sha256 }]),
    // Tells the agent the file was just read and matched, so loading it does not hash 45 MB again.
    run('model-verified', 'Note that the model matched its sha256', ['touch', '--', join(stage, VERIFIED_FILE)]),
    run('model-own', 'Make the model root-owned', ['chown', '-R', 'root:root', '--', stage], { sudo: true }),
    run('model-perms', 'Make the model readable by the service', ['chmod', '-R', 'u=rwX,go=rX', '--', stage], { sudo: true }),
    run('model-sync', 'Flush the model to disk', ['sync']),
    // Fails (and stops the plan) if a different models/<version> exists: one version, one content.
    run('model-move', 'Move the model into place', ['mv', '-T', '--', stage, finalDir], { sudo: true }),
    run('model-move-sync', 'Flush the move to disk', ['sync'])
  ]

  return {
    version: input.version,
    probe: checkSumsStep('model-probe', `Check whether ${input.version} is already on the unit`, [{ path: join(finalDir, MODEL_FILE), sha256: input.sha256 }]),
    findSame: run('model-find-same', 'Look for the same file under another version', [
      'find', layout.modelsDir, '-mindepth', '2', '-maxdepth', '2', '-name', META_FILE, '-exec', 'grep', '-l', '-F', '-e', input.sha256, '--', '{}', '+'
    ]),
    currentMeta: run('model-current-meta', 'Read what the served version is', ['cat', '--', join(layout.modelsCurrent, META_FILE)]),
    upload: stageWith({ kind: 'upload', id: 'model-upload', title: `Upload ${input.name} ${input.version}`, local: input.localFile, remote: join(stage, MODEL_FILE), size: input.size, sha256: input.sha256, mode: 0o644 }),
    reuse: (fromVersion) => {
      assertSafeName('model version', fromVersion)
      // A hard link: no second copy on the card, and pruning the old version later only drops a name.
      // The sha256 check below still reads the bytes, so a damaged or mislabelled file is caught.
      return stageWith(run('model-reuse', `Take the file from ${fromVersion} on the unit`, ['ln', '--', join(layout.modelsDir, fromVersion, MODEL_FILE), join(stage, MODEL_FILE)], { sudo: true }))
    },
    delta: (baseVersion, deltaFile) => {
      assertSafeName('model version', baseVersion)
      const sent = join(stage, DELTA_FILE)
      // No --sha256: the staged file goes through the same sha256sum check as an uploaded one, once.
      const apply = ['apply-delta', `--base=${join(layout.modelsDir, baseVersion, MODEL_FILE)}`, `--delta=${sent}`, `--out=${join(stage, MODEL_FILE)}`]
      return stageWith(
        { kind: 'upload', id: 'model-delta-upload', title: `Send the changes from ${baseVersion}`, local: deltaFile.local, remote: sent, size: deltaFile.size, sha256: deltaFile.sha256, mode: 0o600 },
        run('model-delta-apply', `Build ${input.version} from ${baseVersion} and the changes`, agentOnUnit(apply, layout), { sudo: true }),
        run('model-delta-drop', 'Remove the applied changes', ['rm', '-f', '--', sent], { sudo: true })
      )
    },
    activate: modelSwitchSteps(input.version, layout),
    cleanup: [run('model-stage-drop', 'Remove the failed upload', ['rm', '-rf', '--', stage], { sudo: true })]
  }
}

/** The versions whose meta.json `findSame` printed, except dot names (unfinished uploads) and `except`. */
export function sameContentVersions(findOutput: string, except: string): string[] {
  return findOutput
    .split('\n')
    .map((line) => path.posix.basename(path.posix.dirname(line.trim())))
    .filter((v) => v && v !== '.' && !v.startsWith('.') && v !== 'current' && v !== except)
    .sort()
}

/** Switches `current` to a version already on the device: the last step of a push, and a rollback. */
export function modelSwitchSteps(version: string, layout: DeviceLayout = deviceLayout()): RunStep[] {
  assertSafeName('model version', version)
  return switchLinkSteps(layout.modelsDir, version, 'model')
}

/** Step printing the version `current` points at (for rollback and pruning). */
export function modelCurrentStep(layout: DeviceLayout = deviceLayout()): RunStep {
  return run('model-current', 'Read the current model version', ['readlink', '--', layout.modelsCurrent])
}

export function modelListStep(layout: DeviceLayout = deviceLayout()): RunStep {
  return listVersionsStep('model-list', layout.modelsDir)
}

/** Keeps the newest `keep` versions plus `protect` (current and the rollback target). */
export function modelPruneSteps(findOutput: string, protect: readonly string[], keep = 3, layout: DeviceLayout = deviceLayout()): RunStep[] {
  return pruneSteps(layout.modelsDir, findOutput, keep, protect, 'model')
}

export type PushHealth =
  | { state: 'serving'; version: string }
  | { state: 'failed'; version: string; code: string; message: string }
  | { state: 'pending' }

/** Reads the agent's /health after a switch: serving the pushed version, refused it, or not yet. */
export function pushHealthVerdict(health: HealthResponse, version: string): PushHealth {
  if (health.model?.version === version && health.currentTarget === version) return { state: 'serving', version }
  const err = health.lastLoadError
  if (err && err.version === version) return { state: 'failed', version, code: err.code, message: err.message }
  return { state: 'pending' }
}
