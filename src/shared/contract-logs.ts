// The logs part of the API contract, spread into contract.ts: lines streamed from units and job
// output, filtered and read a page at a time (keyset by row id, so a page costs the same at row
// 10 and at row 500,000), and exported as filtered.
import * as z from 'zod'
import { idSchema } from './domain'

/** syslog priority: 0 emerg … 7 debug. */
export const logPrioritySchema = z.number().int().min(0).max(7)

export const logLineSchema = z.object({
  id: z.number().int(),
  deviceId: z.string(),
  /** `gap`: lines may be missing here (a vacuumed journal, a file read again); `dropped`: lines left out. */
  kind: z.enum(['line', 'gap', 'dropped']),
  unit: z.string().nullable(),
  priority: logPrioritySchema.nullable(),
  /** The unit's clock, microseconds since the epoch. */
  timeUs: z.number().nullable(),
  receivedAt: z.number(),
  message: z.string(),
  jobId: z.string().nullable()
})
export type LogLineView = z.output<typeof logLineSchema>

/** Milliseconds since the epoch, on the unit's clock. */
const timeSchema = z.number().int().min(0).max(8_640_000_000_000)

export const logFilterSchema = z
  .object({
    deviceId: idSchema.optional(),
    /** A systemd unit exactly as the journal names it (`ssh.service`), or `kernel`. */
    unit: z.string().min(1).max(256).optional(),
    /** This level and more severe (3: err, crit, alert, emerg). */
    maxPriority: logPrioritySchema.optional(),
    /** Words that must all appear, matched as whole words (FTS). */
    text: z.string().max(500).optional(),
    since: timeSchema.optional(),
    until: timeSchema.optional(),
    jobId: idSchema.optional()
  })
  .strict()
export type LogFilterInput = z.input<typeof logFilterSchema>

export const LOGS_PAGE_MAX = 5000
export const LOGS_EXPORT_MAX = 200_000

const ordered = (f: { since?: number; until?: number }) => f.since === undefined || f.until === undefined || f.since < f.until

/** One stream of one unit's journal, as the page's badge shows it. */
export const logStreamStatusSchema = z.object({
  deviceId: z.string(),
  /** What it follows: `all`, `unit:ssh.service`, `kernel`. */
  selector: z.string(),
  state: z.enum(['live', 'reconnecting', 'stopped']),
  /** Lines stored in the last second. */
  linesPerSecond: z.number(),
  stored: z.number().int(),
  /** Gap markers written: lines that may be missing (a vacuumed journal). */
  gaps: z.number().int(),
  reconnects: z.number().int(),
  /** Why the last connection ended, when it did not end on purpose. */
  error: z.string().nullable()
})
export type LogStreamStatus = z.output<typeof logStreamStatusSchema>

const followTarget = z
  .object({
    deviceId: idSchema,
    /** One systemd unit (`ssh.service`), `kernel`, or left out for the whole journal. */
    unit: z.string().min(1).max(256).regex(/^[A-Za-z0-9@._:\\-]+$/, 'a systemd unit name').optional()
  })
  .strict()

export const logsMethods = {
  /**
   * One page of matching lines. Without a cursor: the newest `limit`, returned oldest first.
   * `beforeId`: the `limit` lines just older than that row; `afterId`: the ones just newer.
   */
  'logs.query': {
    input: logFilterSchema
      .extend({
        afterId: z.number().int().min(0).optional(),
        beforeId: z.number().int().min(1).optional(),
        limit: z.number().int().min(1).max(LOGS_PAGE_MAX).default(500),
        /** Count the matching lines too (a scroll back through older pages can skip it). */
        total: z.boolean().default(true)
      })
      .strict()
      .refine((q) => q.afterId === undefined || q.beforeId === undefined, 'afterId and beforeId cannot be used together')
      .refine(ordered, 'since must be before until'),
    output: z.object({
      /** Oldest first. */
      lines: z.array(logLineSchema),
      /** How many lines match the filter in all; null when not asked for. */
      total: z.number().int().nullable(),
      /** More lines older than the first one returned. */
      hasOlder: z.boolean()
    })
  },
  /** Every matching line, oldest first, as text (one line each) or JSON (an array), up to LOGS_EXPORT_MAX. */
  'logs.export': {
    input: logFilterSchema
      .extend({ format: z.enum(['text', 'json']) })
      .strict()
      .refine(ordered, 'since must be before until'),
    output: z.object({ text: z.string(), lines: z.number().int(), truncated: z.boolean() })
  },
  /** Streams a unit's journal into the store over SSH, resuming at the stored cursor; returns at once. */
  'logs.follow.start': { input: followTarget, output: logStreamStatusSchema },
  /** Stops one stream (or, without `unit`, every stream of the device); what was read is stored. */
  'logs.follow.stop': { input: followTarget, output: z.object({ stopped: z.number().int() }) },
  'logs.follow.list': { input: z.object({}).strict(), output: z.array(logStreamStatusSchema) }
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>

export const logsEvents = {
  /** A stream's state changed, or a second went by while it ran. */
  'logs.stream': logStreamStatusSchema
} as const satisfies Record<string, z.ZodType>
