// What a provisioning run reports: per-step diffs, per-unit results and a fleet summary, as plain
// JSON described with zod. The engine (src/main/core/provision) produces it as a job's result; the
// UI parses the job result with these same schemas before it shows a diff or a summary.
import * as z from 'zod'
import { textSchema } from './domain'
import type { SerializedError } from './errors'

const serializedErrorSchema = z.object({ code: z.string(), message: z.string(), detail: z.string() })

/** One line of a diff: `field` goes from `from` (null: absent) to `to`. */
export const changeSchema = z.object({ field: z.string(), from: z.string().nullable(), to: z.string() })
export type Change = z.infer<typeof changeSchema>

export const stepStatusSchema = z.enum(['unchanged', 'changed', 'would-change', 'skipped', 'failed'])
export type StepStatus = z.infer<typeof stepStatusSchema>

export const stepReportSchema = z.object({
  id: z.string(),
  kind: z.string(),
  /** English (the CLI, and rows written before texts); `titleText` words it in the UI's language. */
  title: z.string(),
  titleText: textSchema.optional(),
  status: stepStatusSchema,
  changes: z.array(changeSchema),
  /** Why a step was skipped (no Wi-Fi device, no cpufreq) or what a failure was, in plain English. */
  note: z.string().optional(),
  /** The note as a text code, when the step gave one (a failure's note is the unit's own output). */
  noteText: textSchema.optional()
})
export type StepReport = z.infer<typeof stepReportSchema>

export const unitStatusSchema = z.enum(['unchanged', 'changed', 'would-change', 'failed', 'not-started', 'cancelled'])
export type UnitStatus = z.infer<typeof unitStatusSchema>

export const unitResultSchema = z.object({
  target: z.string(),
  /** Line of the site plan this unit came from, when it came from one. */
  line: z.number().int().optional(),
  status: unitStatusSchema,
  /** Number of changed (or, in a dry run, planned) fields. */
  changes: z.number().int(),
  steps: z.array(stepReportSchema),
  /** Handlers run (or, in a dry run, that would run). */
  handlers: z.array(z.string()),
  error: serializedErrorSchema.optional(),
  durationMs: z.number()
})
export type UnitResult = Omit<z.infer<typeof unitResultSchema>, 'error'> & { error?: SerializedError }

export const fleetSummarySchema = z.object({
  total: z.number().int(),
  unchanged: z.number().int(),
  changed: z.number().int(),
  wouldChange: z.number().int(),
  failed: z.number().int(),
  notStarted: z.number().int(),
  cancelled: z.number().int(),
  changes: z.number().int()
})
export type FleetSummary = z.infer<typeof fleetSummarySchema>

export const fleetResultSchema = z.object({
  profile: z.string(),
  dryRun: z.boolean(),
  units: z.array(unitResultSchema),
  summary: fleetSummarySchema,
  /** Set when the max-failure threshold stopped new units from starting. */
  stoppedEarly: z.boolean(),
  error: serializedErrorSchema.optional()
})
export type FleetResult = Omit<z.infer<typeof fleetResultSchema>, 'units' | 'error'> & {
  units: UnitResult[]
  error?: SerializedError
}
