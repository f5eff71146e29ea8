// Benchmark runs as the contract carries them: what to measure (a matrix of units × models ×
// threads × batch sizes, each cell repeated), and what each cell measured. Cells keep the agent's
// full result; `stats` is the short form scripts read (the CLI's --json, CSV export).
import * as z from 'zod'
import type { BenchResult } from './bench-result'
import { fileRefSchema, idSchema } from './domain'
import { deployTargetSchema } from './deploy'
import { modelRefSchema } from './models'

export const benchPresetSchema = z.enum(['quick', 'standard', 'mlperf'])
/** The desktop itself, measured with the same runner: `host` as a target. */
export const HOST_TARGET = 'host'

export const benchStartInputSchema = z
  .object({
    /** Device names or ids, user@host[:port], or `host` for this machine. */
    targets: z.array(deployTargetSchema).min(1, 'name at least one unit (or host)').max(100),
    models: z.array(modelRefSchema).min(1, 'name at least one model').max(20),
    preset: benchPresetSchema.default('quick'),
    runs: z.number().int().min(1).max(1_000_000).optional(),
    durationS: z.number().min(0).max(24 * 3600).optional(),
    warmup: z.number().int().min(0).max(100_000).optional(),
    // Checked per cell by the runner, so one absurd value fails its own cells and the rest still run.
    threads: z.array(z.number().int().min(0).max(1_000_000)).min(1).max(8).default([0]),
    batch: z.array(z.number().int().min(1).max(4096)).min(1).max(8).default([1]),
    repeat: z.number().int().min(1).max(100).default(1),
    /** Pause between two cells on one unit so each starts cool; default 5 s when a unit has several cells. */
    cooldownS: z.number().min(0).max(3600).optional(),
    profileOps: z.boolean().default(false),
    /** A labelled sample set: accuracy beside latency. */
    samples: z.union([fileRefSchema, z.object({ builtin: z.enum(['digits-100']) }).strict()]).optional(),
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    password: z.string().min(1).max(256).optional(),
    /** A note kept with the run ("fan off", "new heatsink"). */
    label: z.string().max(200).optional()
  })
  .strict()
export type BenchStartInput = z.input<typeof benchStartInputSchema>

/** The figures a script compares, in milliseconds unless named otherwise. */
export const cellStatsSchema = z.object({
  runs: z.number().int(),
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  p999: z.number(),
  mean: z.number(),
  std: z.number(),
  cv: z.number(),
  min: z.number(),
  max: z.number(),
  /** Inferences per second. */
  throughput: z.number(),
  cpuPercent: z.number(),
  peakRssMb: z.number(),
  rssGrowthMb: z.number(),
  valid: z.boolean()
})
export type CellStats = z.infer<typeof cellStatsSchema>

export const cellStateSchema = z.enum(['pending', 'running', 'done', 'failed', 'cancelled'])

export const cellProgressSchema = z.object({ phase: z.string(), done: z.number(), total: z.number(), etaS: z.number().nullable() })

export const benchCellSchema = z.object({
  id: idSchema,
  runId: idSchema,
  /** Position in the matrix, from 0. */
  index: z.number().int(),
  target: z.string(),
  deviceId: idSchema.nullable(),
  model: z.object({ ref: z.string(), name: z.string(), version: z.string(), sha256: z.string() }),
  threads: z.number().int(),
  batch: z.number().int(),
  repeat: z.number().int(),
  state: cellStateSchema,
  error: z.string().nullable(),
  progress: cellProgressSchema.nullable(),
  stats: cellStatsSchema.nullable(),
  accuracy: z.object({ samples: z.number(), correct: z.number(), top1: z.number() }).nullable(),
  valid: z.boolean(),
  invalidReasons: z.array(z.string()),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  /** The agent's whole result line (environment, phases, monitor, profile), without the raw samples. */
  result: z.custom<Omit<BenchResult, 'samples'>>().nullable()
})
export type BenchCell = z.infer<typeof benchCellSchema>

export const benchRunSchema = z.object({
  id: idSchema,
  jobId: idSchema,
  createdAt: z.number(),
  who: z.string(),
  label: z.string().nullable(),
  preset: benchPresetSchema,
  targets: z.array(z.string()),
  models: z.array(z.string()),
  cellCount: z.number().int(),
  done: z.number().int(),
  failed: z.number().int()
})
export type BenchRun = z.infer<typeof benchRunSchema>

export const benchRunDetailSchema = benchRunSchema.extend({ cells: z.array(benchCellSchema) })
export type BenchRunDetail = z.infer<typeof benchRunDetailSchema>

/** One cell against the baseline (the first cell named). */
export const benchComparisonSchema = z.object({
  baseline: benchCellSchema,
  rows: z.array(
    z.object({
      cell: benchCellSchema,
      /** cell / baseline, so 0.5 is twice as fast. */
      p50Ratio: z.number().nullable(),
      p90Ratio: z.number().nullable(),
      throughputRatio: z.number().nullable(),
      /** Mann-Whitney U on the raw samples, two-sided; null without samples on both sides. */
      pValue: z.number().nullable(),
      /** True when the medians differ by more than the run-to-run noise (p < 0.01 and more than 1%). */
      significant: z.boolean().nullable()
    })
  )
})
export type BenchComparison = z.infer<typeof benchComparisonSchema>
