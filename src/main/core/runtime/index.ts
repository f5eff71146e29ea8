// The device runtime, desktop side: build the offline bundle, judge a device, plan the install and
// the pushes. No SSH here: the plans are data the SSH layer runs.
export { buildRuntimeBundle, bundleDirName, runtimeVersion, type BuildRuntimeOptions, type RuntimeBundle } from './build-runtime-bundle'
export { readManifest, verifyBundle, type ManifestFile, type RuntimeManifest } from './bundle-manifest'
export { DEVICE_ROOT, SERVICE_NAME, agentOnUnit, deviceLayout, unitAgentFiles, type DeviceLayout } from './device-layout'
export { RuntimeError, type RuntimeErrorCode } from './errors'
export {
  modelCurrentStep,
  modelListStep,
  modelMetaJson,
  modelPruneSteps,
  modelPushPlan,
  modelSwitchSteps,
  pushHealthVerdict,
  sameContentVersions,
  type ModelPushInput,
  type ModelPushPlan,
  type PushHealth
} from './model-push-plan'
export { cachedNodeBinary, type RunNpm } from './node-package-cache'
export type { PlanStep, RunStep, UploadStep, WriteStep } from './plan-steps'
export {
  DISK_MARGIN_BYTES,
  judgePreflight,
  preflightCommands,
  preflightError,
  type PreflightOutputs,
  type PreflightProblem,
  type PreflightVerdict,
  type RuntimeArch
} from './preflight'
export { REUSE_STEP_ID, runtimeInstallPlan, runtimeListStep, runtimePruneSteps, type RuntimeInstallInput, type RuntimeInstallPlan, type RuntimeReuse } from './runtime-install-plan'
export { NODE_VERSION, ORT_VERSION } from './runtime-pins'
