// The API contract: every method's input and output and every event, as zod schemas.
// Electron IPC, the station's WebSocket and the CLI all derive from this one object.
import * as z from 'zod'
import {
  deviceNameSchema,
  fileRefSchema as fileRef,
  deviceSchema,
  historyEntrySchema,
  hostSchema,
  idSchema,
  jobDetailSchema,
  jobLogLineSchema,
  jobSchema,
  jobStateSchema,
  settingsSchema,
  userSchema
} from './domain'
import { cidrSchema, consoleBootstrapInputSchema, usbSnapshotSchema } from './discovery'
import { deviceModelStatusSchema, modelPushInputSchema, modelRollbackInputSchema, modelStatusInputSchema, runtimeInstallInputSchema } from './deploy'
import { inspectionSchema, modelNameSchema, modelRecordSchema, modelRefSchema, modelVersionSchema } from './models'
import { profileInfoSchema } from './provision'
import { benchCellSchema, benchComparisonSchema, benchRunDetailSchema, benchRunSchema, benchStartInputSchema } from './bench-run'

import { logsEvents, logsMethods } from './contract-logs'
import { flashEvents, flashMethods } from './contract-flash'
import { quantizeEvents, quantizeMethods } from './contract-quantize'

const empty = z.object({}).strict()
const hostKeyIdentitySchema = z.object({ algorithm: z.string(), fingerprint: z.string() })
const ok = z.object({ ok: z.literal(true) })
const jobStarted = z.object({ jobId: idSchema })

export const contract = {
  methods: {
    'app.info': {
      input: empty,
      output: z.object({ name: z.string(), version: z.string(), dataDir: z.string(), transport: z.string() })
    },
    'devices.list': { input: empty, output: z.array(deviceSchema) },
    'devices.add': {
      input: z
        .object({
          host: hostSchema,
          port: z.number().int().min(1).max(65535).default(22),
          user: userSchema.default('pi'),
          name: deviceNameSchema.optional()
        })
        .strict(),
      output: deviceSchema
    },
    'devices.remove': { input: z.object({ id: idSchema }).strict(), output: ok },
    /** One unit from what a technician typed: id, id prefix, name or address; ambiguity is refused. */
    'devices.resolve': { input: z.object({ ref: z.string().min(1).max(300) }).strict(), output: deviceSchema },
    'devices.rename': { input: z.object({ id: idSchema, name: deviceNameSchema }).strict(), output: deviceSchema },
    'devices.check': {
      input: z.object({ ids: z.array(idSchema).max(1000).optional() }).strict(),
      output: jobStarted
    },
    /** What a unit runs (runtime, model versions, /health), read over SSH with a timeout. */
    'devices.modelStatus': { input: modelStatusInputSchema, output: deviceModelStatusSchema },
    'discovery.scan': {
      input: z
        .object({
          subnets: z.array(cidrSchema).max(64).optional(),
          timeoutMs: z.number().int().min(100).max(60_000).optional(),
          mdns: z.boolean().optional(),
          /** Log in to each unit that answers SSH and read model, serial, OS (password: first contact only). */
          login: z.object({ user: userSchema, password: z.string().min(1).max(256).optional() }).strict().optional()
        })
        .strict(),
      output: jobStarted
    },
    'usb.scan': { input: empty, output: usbSnapshotSchema },
    /** A job: log in over a console port, read hostname and addresses (result: consoleBootstrapResultSchema). */
    'usb.consoleBootstrap': { input: consoleBootstrapInputSchema, output: jobStarted },
    'provision.run': {
      input: z
        .object({
          targets: z.array(z.string().min(1).max(300)).max(1000),
          /** A built-in profile name, or (CLI, desktop) a .yaml file. */
          profile: z.string().min(1).max(4096),
          vars: z.record(z.string().max(64), z.string().max(512)).default({}),
          /** The site plan's CSV text: one row per unit. */
          sitePlanCsv: z.string().max(2_000_000).optional(),
          dryRun: z.boolean().default(false),
          concurrency: z.number().int().min(1).max(64).optional(),
          maxFail: z.number().int().min(0).max(1000).optional(),
          password: z.string().min(1).max(256).optional(),
          /** First contact with the technician's own key (`--identity FILE`): the key text, a job secret. */
          identity: z.object({ privateKey: z.string().min(1).max(32_768), passphrase: z.string().min(1).max(1024).optional() }).strict().optional()
        })
        .strict(),
      output: jobStarted
    },
    /** The explicit way past HOST_KEY_CHANGED: pin the key the unit offers now, if it is the one the user checked. Recorded in history. */
    'hostKeys.repin': {
      input: z.object({ target: z.string().min(1).max(300), fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'a SHA256:… fingerprint') }).strict(),
      output: z.object({ previous: hostKeyIdentitySchema.nullable(), current: hostKeyIdentitySchema })
    },
    /** The key pinned for a unit (device name or id, or user@host[:port]); null before the first SSH contact. */
    'hostKeys.get': {
      input: z.object({ target: z.string().min(1).max(300) }).strict(),
      output: hostKeyIdentitySchema.extend({ host: z.string(), port: z.number().int(), pinnedAt: z.number() }).nullable()
    },
    /** The built-in profiles with their variables and steps, for the Provision wizard's form. */
    'provision.profiles': { input: empty, output: z.array(profileInfoSchema) },
    'jobs.list': {
      input: z.object({ limit: z.number().int().min(1).max(500).default(50), state: jobStateSchema.optional() }).strict(),
      output: z.array(jobSchema)
    },
    'jobs.get': { input: z.object({ id: idSchema }).strict(), output: jobDetailSchema },
    'jobs.cancel': { input: z.object({ id: idSchema }).strict(), output: jobSchema },
    'history.query': {
      input: z
        .object({
          deviceId: idSchema.optional(),
          kind: z.string().max(64).optional(),
          limit: z.number().int().min(1).max(1000).default(100),
          beforeId: z.number().int().optional()
        })
        .strict(),
      output: z.array(historyEntrySchema)
    },
    'models.list': { input: empty, output: z.array(modelRecordSchema) },
    'models.import': {
      input: z
        .object({
          file: fileRef,
          name: modelNameSchema.optional(),
          version: modelVersionSchema.optional(),
          notes: z.string().max(2000).optional()
        })
        .strict(),
      output: z.object({ record: modelRecordSchema, alreadyPresent: z.boolean() })
    },
    'models.inspect': { input: z.object({ ref: modelRefSchema }).strict(), output: inspectionSchema },
    /** An .onnx file that is not in the library (yet): the same report, nothing stored. */
    'models.inspectFile': { input: z.object({ file: fileRef }).strict(), output: inspectionSchema },
    'models.remove': { input: z.object({ ref: modelRefSchema }).strict(), output: modelRecordSchema },
    'models.compare': {
      input: z
        .object({
          a: modelRefSchema,
          b: modelRefSchema,
          samples: z.union([fileRef, z.object({ builtin: z.enum(['digits-100']) }).strict()]),
          limit: z.number().int().min(1).max(100_000).optional()
        })
        .strict(),
      output: jobStarted
    },
    /** Jobs; results: runtimeInstallResultSchema, modelPushResultSchema, modelRollbackResultSchema (shared/deploy). */
    'runtime.install': { input: runtimeInstallInputSchema, output: jobStarted },
    'models.push': { input: modelPushInputSchema, output: jobStarted },
    'models.rollback': { input: modelRollbackInputSchema, output: jobStarted },
    /** A benchmark job over units × models × threads × batch sizes; cells are stored as they finish. */
    'bench.start': { input: benchStartInputSchema, output: z.object({ jobId: idSchema, runId: idSchema }) },
    'bench.list': {
      input: z.object({ limit: z.number().int().min(1).max(500).default(50), target: z.string().max(300).optional() }).strict(),
      output: z.array(benchRunSchema)
    },
    /** A run by id or id prefix (at least 4 characters). */
    'bench.get': { input: z.object({ id: z.string().min(1).max(64) }).strict(), output: benchRunDetailSchema },
    /** A cell's raw per-run latencies in milliseconds, in run order. */
    'bench.samples': { input: z.object({ cellId: idSchema }).strict(), output: z.array(z.number()) },
    /** Cells (or runs, meaning all their cells) against the first one. */
    'bench.compare': { input: z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(50) }).strict(), output: benchComparisonSchema },
    'bench.export': {
      input: z.object({ ids: z.array(z.string().min(1).max(64)).min(1).max(500), format: z.enum(['csv', 'json']) }).strict(),
      output: z.object({ text: z.string() })
    },
    'settings.get': { input: empty, output: settingsSchema },
    'settings.set': { input: settingsSchema.partial().strict(), output: settingsSchema },
    ...logsMethods,
    ...flashMethods,
    ...quantizeMethods
  },
  events: {
    'devices.changed': z.object({ devices: z.array(deviceSchema) }),
    'jobs.updated': jobSchema,
    'jobs.log': jobLogLineSchema,
    /** A benchmark cell started, progressed (at most once a second) or ended. */
    'bench.cell': benchCellSchema,
    'settings.changed': settingsSchema,
    'usb.changed': usbSnapshotSchema,
    ...logsEvents,
    ...flashEvents,
    ...quantizeEvents
  }
} as const

export type Contract = typeof contract
export type MethodName = keyof Contract['methods']
export type EventName = keyof Contract['events']
/** What a caller may pass (defaults still to be applied). */
export type MethodInput<M extends MethodName> = z.input<Contract['methods'][M]['input']>
/** What a handler receives (after parsing, defaults applied). */
export type ParsedInput<M extends MethodName> = z.output<Contract['methods'][M]['input']>
export type MethodOutput<M extends MethodName> = z.output<Contract['methods'][M]['output']>
export type EventPayload<E extends EventName> = z.output<Contract['events'][E]>

export const methodNames = Object.keys(contract.methods) as MethodName[]
export const eventNames = Object.keys(contract.events) as EventName[]

export function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(contract.methods, value)
}
export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && Object.hasOwn(contract.events, value)
}

/** The client every UI transport implements: one named method per contract method, plus events. */
export type EdgeDockClient = {
  [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutput<M>>
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** Wire envelope for a call result: errors travel as {code, message, detail}. */
export type CallResult<T = unknown> =
  | { ok: true; value: T }
  | { ok: false; error: { code: string; message: string; detail: string } }
