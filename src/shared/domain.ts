// Domain schemas shared by every transport. zod is the single source: types are inferred from it.
import * as z from 'zod'
import { DEVICE_NAME_RE, HOST_RE, USER_RE } from './target'
import { errorCodes } from './errors'

export const languageSchema = z.enum(['en', 'zh'])

export const deviceStateSchema = z.enum(['online', 'offline', 'unknown'])
export const deviceSourceSchema = z.enum(['manual', 'mdns', 'arp', 'ssh-sweep', 'login', 'usb', 'lab'])

export const hostSchema = z.string().max(253).regex(HOST_RE, 'must be a host name or an IP address (no spaces or shell characters)')
export const userSchema = z.string().regex(USER_RE, 'must be a Linux user name such as "pi"')
export const deviceNameSchema = z
  .string()
  .trim()
  .regex(DEVICE_NAME_RE, 'must be 1-64 letters, digits, spaces or . _ - ( ) # /')
export const idSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/)

/** A file: a path (CLI, desktop drop) or an upload id (station); see api/user-files.ts. */
export const fileRefSchema = z
  .object({ path: z.string().max(4096).optional(), upload: z.string().max(64).optional() })
  .strict()
  .refine((f) => (f.path === undefined) !== (f.upload === undefined), 'give either a path or an upload')

export const deviceSchema = z.object({
  id: idSchema,
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  user: z.string(),
  mac: z.string().nullable(),
  model: z.string().nullable(),
  serial: z.string().nullable(),
  hostKeyFingerprint: z.string().nullable(),
  sshBanner: z.string().nullable(),
  hostname: z.string().nullable(),
  /** The address before the last change (DHCP), so the UI can say "was 10.0.0.23". */
  previousHost: z.string().nullable(),
  macs: z.array(z.string()),
  isRaspberryPi: z.boolean(),
  /** What a login read: OS, architecture, userland bits, memory, disk, temperature. */
  facts: z.record(z.string(), z.unknown()).nullable(),
  services: z.array(z.string()),
  state: deviceStateSchema,
  lastSeen: z.number().nullable(),
  sources: z.array(deviceSourceSchema),
  createdAt: z.number()
})
export type Device = z.infer<typeof deviceSchema>

export const jobStateSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'])
export type JobState = z.infer<typeof jobStateSchema>

export const serializedErrorSchema = z.object({
  code: z.enum(errorCodes as [string, ...string[]]),
  message: z.string(),
  detail: z.string()
})

/** Text made outside the UI (a job's title, a step's name or detail) as a catalogue key and its
 * parameters, so each UI words it in its own language; see shared/texts. A parameter may be a text
 * itself ("lab-1: Connect to …" words both parts). */
export interface Text {
  key: string
  params: Record<string, TextParam>
}
export type TextParam = string | number | Text
export const textSchema: z.ZodType<Text> = z.object({
  key: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.lazy(() => textSchema)]))
})

/** The process that runs a job: shown as "station", "desktop" or "cli pid N". */
export const jobOwnerSchema = z.object({
  label: z.enum(['station', 'desktop', 'cli']),
  host: z.string(),
  pid: z.number().int(),
  /** False when this process has found the owner gone (a dead pid or a stale heartbeat). */
  alive: z.boolean()
})
export type JobOwner = z.infer<typeof jobOwnerSchema>

export const jobSchema = z.object({
  id: idSchema,
  kind: z.string(),
  title: z.string(),
  /** The title as a text code, when the job was started with one; `title` is its English wording. */
  titleText: textSchema.nullable(),
  deviceId: z.string().nullable(),
  state: jobStateSchema,
  step: z.string().nullable(),
  stepText: textSchema.nullable(),
  owner: jobOwnerSchema.nullable(),
  /** When another process asked the owner to cancel; the owner acts on it within a second. */
  cancelRequestedAt: z.number().nullable(),
  percent: z.number().nullable(),
  done: z.number(),
  total: z.number().nullable(),
  unit: z.enum(['bytes', 'items']),
  rate: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  error: serializedErrorSchema.nullable(),
  /** What the job produced, when it produces something (a comparison report, a benchmark). */
  result: z.unknown().nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable()
})
export type Job = z.infer<typeof jobSchema>

export const jobStepSchema = z.object({
  index: z.number().int(),
  name: z.string(),
  text: textSchema.nullable(),
  state: jobStateSchema,
  startedAt: z.number(),
  finishedAt: z.number().nullable()
})
export type JobStep = z.infer<typeof jobStepSchema>

export const logLevelSchema = z.enum(['debug', 'info', 'warn', 'error'])
export const jobLogLineSchema = z.object({
  jobId: idSchema,
  seq: z.number().int(),
  ts: z.number(),
  level: logLevelSchema,
  text: z.string()
})
export type JobLogLine = z.infer<typeof jobLogLineSchema>

export const jobDetailSchema = jobSchema.extend({
  steps: z.array(jobStepSchema),
  log: z.array(jobLogLineSchema)
})
export type JobDetail = z.infer<typeof jobDetailSchema>

export const historyEntrySchema = z.object({
  id: z.number().int(),
  ts: z.number(),
  kind: z.string(),
  deviceId: z.string().nullable(),
  deviceName: z.string().nullable(),
  jobId: z.string().nullable(),
  summary: z.string(),
  outcome: z.enum(['ok', 'failed', 'cancelled', 'interrupted', 'info'])
})
export type HistoryEntry = z.infer<typeof historyEntrySchema>

export const settingsSchema = z.object({
  language: languageSchema,
  defaultUser: userSchema
})
export type Settings = z.infer<typeof settingsSchema>
export const defaultSettings: Settings = { language: 'en', defaultUser: 'pi' }
