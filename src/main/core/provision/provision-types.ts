// What a provisioning run reports: per-step diffs, per-unit results and a fleet summary. The result
// schemas live in src/shared/provision-result.ts (the UI parses job results with them); the live
// events and the summary stay here with the engine.
import * as z from 'zod'
import {
  changeSchema,
  fleetResultSchema,
  fleetSummarySchema,
  stepReportSchema,
  stepStatusSchema,
  unitResultSchema,
  unitStatusSchema
} from '../../../shared/provision-result'
import type { FleetSummary, UnitResult, UnitStatus } from '../../../shared/provision-result'

export type { Change, FleetResult, FleetSummary, StepReport, StepStatus, UnitResult, UnitStatus } from '../../../shared/provision-result'

export { changeSchema, fleetResultSchema, fleetSummarySchema, stepReportSchema, stepStatusSchema, unitResultSchema, unitStatusSchema }

/** Live progress, one event per transition; the job log and the UI both render these. */
export const provisionEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('unit-started'), target: z.string() }),
  z.object({ type: z.literal('step-started'), target: z.string(), stepId: z.string(), title: z.string() }),
  z.object({ type: z.literal('step-finished'), target: z.string(), step: stepReportSchema }),
  z.object({ type: z.literal('handler'), target: z.string(), handler: z.string() }),
  z.object({ type: z.literal('unit-finished'), target: z.string(), result: unitResultSchema }),
  z.object({ type: z.literal('fleet-stopped'), failed: z.number().int(), maxFail: z.number() })
])
export type ProvisionEvent =
  | Exclude<z.infer<typeof provisionEventSchema>, { type: 'unit-finished' }>
  | { type: 'unit-finished'; target: string; result: UnitResult }

export function summarize(units: readonly UnitResult[]): FleetSummary {
  const count = (s: UnitStatus) => units.filter((u) => u.status === s).length
  return {
    total: units.length,
    unchanged: count('unchanged'),
    changed: count('changed'),
    wouldChange: count('would-change'),
    failed: count('failed'),
    notStarted: count('not-started'),
    cancelled: count('cancelled'),
    changes: units.reduce((n, u) => n + u.changes, 0)
  }
}
