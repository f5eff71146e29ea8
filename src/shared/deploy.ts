// Models and the runtime on the device: the contract's schemas for installing the runtime, pushing a
// model version, rolling back, and reading what a unit serves. Job results are parsed with these too.
import * as z from 'zod'
import { modelRefSchema, modelVersionSchema } from './models'

/** A device name or id from the inventory, or user@host[:port]. */
export const deployTargetSchema = z.string().trim().min(1).max(300)
const targets = z.array(deployTargetSchema).min(1, 'name at least one unit').max(1000)
/** First contact only (units still on the image's password); never logged. */
const password = z.string().min(1).max(256)

export const runtimeInstallInputSchema = z.object({ targets, password: password.optional() }).strict()

const limit = z.number().positive().max(1e9).optional()
/** p50/p90/p99 in ms, peak RSS in MB at most; throughput (inferences/s) at least. */
export const rolloutGatesSchema = z.strictObject({ p50Ms: limit, p90Ms: limit, p99Ms: limit, peakRssMb: limit, minThroughput: limit })
export type RolloutGates = z.infer<typeof rolloutGatesSchema>

export const modelPushInputSchema = z
  .object({
    targets,
    ref: modelRefSchema,
    /** The version directory on the unit; defaults to the library record's version. */
    version: modelVersionSchema.optional(),
    password: password.optional(),
    concurrency: z.number().int().min(1).max(64).optional(),
    /** false: send the whole file even when a delta from the served version would be smaller. */
    delta: z.boolean().optional(),
    /** A staged rollout: these units (or the first N) first; the rest only if they all serve the new version. */
    canary: z.union([z.number().int().min(1).max(1000), z.array(z.string().min(1).max(300)).min(1).max(1000)]).optional(),
    /** Failures among the rest that are tolerated before the rollout stops (default 0 with a canary). */
    maxFail: z.number().int().min(0).max(100_000).optional(),
    /** Limits a quick benchmark of each canary must meet before the rest go (needs a canary). */
    gates: rolloutGatesSchema.optional()
  })
  .strict()

export const modelRollbackInputSchema = z
  .object({
    targets,
    /** A version already on the unit; default: the one before `current`. */
    version: modelVersionSchema.optional(),
    password: password.optional()
  })
  .strict()

export const modelStatusInputSchema = z.object({ target: deployTargetSchema, password: password.optional() }).strict()

export const deviceModelSchema = z.object({ name: z.string(), version: z.string(), sha256: z.string() })
export type DeviceModel = z.infer<typeof deviceModelSchema>

export const deviceHealthSchema = z.object({
  /** ok: serving what `current` points at; degraded: serving an older version (see lastLoadError). */
  status: z.enum(['ok', 'degraded', 'no-model']),
  model: deviceModelSchema.nullable(),
  currentTarget: z.string().nullable(),
  lastLoadError: z.object({ version: z.string(), code: z.string(), message: z.string() }).nullable(),
  uptimeS: z.number()
})
export type DeviceHealth = z.infer<typeof deviceHealthSchema>

export const deviceModelStatusSchema = z.object({
  /** user@host:port the status was read from. */
  target: z.string(),
  deviceId: z.string().nullable(),
  /** The runtime version `runtime/current` names; null when no runtime is installed. */
  runtimeVersion: z.string().nullable(),
  /** What `models/current` points at (from its meta.json); null when no model was pushed. */
  current: deviceModelSchema.nullable(),
  /** Version directories on the unit, newest first; name/sha256 null when meta.json is unreadable. */
  versions: z.array(z.object({ version: z.string(), name: z.string().nullable(), sha256: z.string().nullable(), current: z.boolean() })),
  /** The inference service's /health, read on the unit; null when it does not answer. */
  health: deviceHealthSchema.nullable(),
  /** Why health is null (service stopped, not installed), in plain words. */
  healthError: z.string().nullable()
})
export type DeviceModelStatus = z.infer<typeof deviceModelStatusSchema>

const unitBase = {
  target: z.string(),
  deviceId: z.string().nullable(),
  deviceName: z.string().nullable(),
  /** Plain-words reason when the unit failed (the job's error carries the code). */
  error: z.string().nullable()
}

/** `jobs.get(...).result` of a runtime.install job. */
export const runtimeInstallResultSchema = z.object({
  kind: z.literal('runtime.install'),
  units: z.array(z.object({ ...unitBase, outcome: z.enum(['installed', 'already-installed', 'failed']), runtimeVersion: z.string().nullable() }))
})
export type RuntimeInstallResult = z.infer<typeof runtimeInstallResultSchema>

export const pushOutcomeSchema = z.enum(['pushed', 'already-current', 'rolled-back', 'failed', 'skipped'])
export type PushOutcome = z.infer<typeof pushOutcomeSchema>

/** How a push brought the file: none (the unit had this version), reuse (the same file under another
 *  version, linked on the unit), delta (only the changes from the version it served), full. */
export const pushMethodSchema = z.enum(['none', 'reuse', 'delta', 'full'])
export type PushMethod = z.infer<typeof pushMethodSchema>

/** Why a staged rollout stopped: a canary unit did not serve the new version, or the rest failed past the limit. */
export const rolloutStopSchema = z.discriminatedUnion('reason', [
  z.object({ reason: z.literal('canary'), units: z.array(z.string()) }),
  z.object({ reason: z.literal('max-fail'), failed: z.number(), allowed: z.number() })
])
export type RolloutStop = z.infer<typeof rolloutStopSchema>

/** `jobs.get(...).result` of a models.push job. */
export const modelPushResultSchema = z.object({
  kind: z.literal('models.push'),
  model: deviceModelSchema,
  units: z.array(
    z.object({
      ...unitBase,
      /** pushed: serving the new version; already-current: nothing to do; rolled-back: the new version
       *  failed and the unit serves `servingVersion` again; failed: see error; skipped: a rollout
       *  stopped before this unit was contacted. */
      outcome: pushOutcomeSchema,
      /** In a rollout: canary or rest; otherwise null. */
      stage: z.enum(['canary', 'rest']).nullable(),
      /** Time the push spent on this unit once connected (0 when skipped). */
      durationMs: z.number(),
      /** A canary's benchmark against the rollout's limits (null: none asked or not a canary). */
      gate: z.object({ summary: z.string(), met: z.array(z.string()), missed: z.array(z.string()) }).nullable(),
      method: pushMethodSchema,
      /** Bytes that went over the link for the model file (0 for none and reuse). */
      bytesSent: z.number(),
      /** Size of the model file itself. */
      fileBytes: z.number(),
      /** The version on the unit the file was made from: the identical one (reuse) or the delta's base. */
      base: z.string().nullable(),
      previousVersion: z.string().nullable(),
      /** What /health said the unit serves when the job finished with it. */
      servingVersion: z.string().nullable()
    })
  ),
  /** Set for a staged rollout: its canary (labels), failure limit, and why it stopped (null: it did not). */
  rollout: z.object({ canary: z.array(z.string()), maxFail: z.number().nullable(), stopped: rolloutStopSchema.nullable() }).nullable()
})
export type ModelPushResult = z.infer<typeof modelPushResultSchema>

/** `jobs.get(...).result` of a models.rollback job. */
export const modelRollbackResultSchema = z.object({
  kind: z.literal('models.rollback'),
  units: z.array(
    z.object({ ...unitBase, outcome: z.enum(['switched', 'failed']), fromVersion: z.string().nullable(), toVersion: z.string().nullable() })
  )
})
export type ModelRollbackResult = z.infer<typeof modelRollbackResultSchema>
