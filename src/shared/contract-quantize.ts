// The quantize part of the API contract, spread into contract.ts: start a quantize job (its result
// is quantizeResultSchema), ask which method suits a model, and read a version's lineage.
import * as z from 'zod'
import { fileRefSchema, idSchema } from './domain'
import { modelRecordSchema, modelRefSchema, modelVersionSchema } from './models'

export const quantizeMethodSchema = z.enum(['static', 'dynamic', 'fp16'])
export type QuantizeMethodDto = z.infer<typeof quantizeMethodSchema>

/** A node name as exporters write them ("/layer1/conv/Conv", "fc.weight"). */
const nodeNameSchema = z.string().min(1).max(300)

export const quantizeInputSchema = z
  .object({
    ref: modelRefSchema,
    method: quantizeMethodSchema,
    /** A sample-set JSON (`{inputs, labels?}` or an array of rows), or on the CLI a folder of them. */
    calibration: z.union([fileRefSchema, z.object({ builtin: z.enum(['digits-100']) }).strict()]).optional(),
    calibrate: z.enum(['minmax', 'percentile', 'entropy']).default('minmax'),
    perChannel: z.boolean().default(true),
    activations: z.enum(['uint8', 'int8']).default('uint8'),
    exclude: z.array(nodeNameSchema).max(1000).default([]),
    version: modelVersionSchema.optional(),
    /** Samples the comparison runs; 200 by default. */
    compareLimit: z.number().int().min(1).max(10_000).optional()
  })
  .strict()

export const lineageSchema = z.object({
  parentSha256: z.string(),
  parentRef: z.string(),
  method: z.string(),
  calibrationSha256: z.string().nullable(),
  settings: z.record(z.string(), z.unknown()),
  createdAt: z.number()
})

const latencyPair = z.object({ p50Ms: z.number(), p90Ms: z.number() })
export const quantizeFlagSchema = z.enum(['slower', 'accuracyDrop', 'lowAgreement', 'lowCosine'])

export const quantizeComparisonSchema = z.object({
  samples: z.number(),
  inputs: z.enum(['calibration', 'seeded']),
  threads: z.number(),
  accuracy: z.object({ before: z.number(), after: z.number() }).nullable(),
  agreement: z.number(),
  cosine: z.object({ mean: z.number(), min: z.number() }),
  relError: z.object({ max: z.number(), mean: z.number() }),
  latency: z.object({ before: latencyPair, after: latencyPair }),
  flags: z.array(quantizeFlagSchema)
})

/** What a finished quantize job holds as its result. */
export const quantizeResultSchema = z.object({
  parent: z.object({ ref: z.string(), sha256: z.string() }),
  model: z.object({ ref: z.string(), sha256: z.string(), name: z.string(), version: z.string(), alreadyPresent: z.boolean() }),
  method: quantizeMethodSchema,
  settings: z.record(z.string(), z.unknown()),
  calibration: z.object({ samples: z.number(), sha256: z.string() }).nullable(),
  sizeBytes: z.object({ before: z.number(), after: z.number() }),
  sizeRatio: z.number(),
  quantized: z.record(z.string(), z.number()),
  keptFloat: z.record(z.string(), z.number()),
  opsBefore: z.record(z.string(), z.number()),
  opsAfter: z.record(z.string(), z.number()),
  compare: quantizeComparisonSchema
})
export type QuantizeResultDto = z.infer<typeof quantizeResultSchema>

export const quantizeAdviceSchema = z.object({
  method: quantizeMethodSchema.nullable(),
  /** A catalogue key (quantize.reason.*), worded with {conv} and {matmul}. */
  reason: z.string(),
  conv: z.number(),
  matmul: z.number()
})

export const quantizeMethods = {
  /** A job; its result is quantizeResultSchema. Nothing is stored unless quantization and the comparison succeed. */
  'models.quantize': { input: quantizeInputSchema, output: z.object({ jobId: idSchema }) },
  /** Which method suits the model from its op mix, and why. */
  'models.quantizeAdvice': {
    input: z.object({ ref: modelRefSchema, calibration: z.boolean().default(false) }).strict(),
    output: quantizeAdviceSchema
  },
  /** Where a version came from (null for a model EdgeDock did not quantize) and what was made from it. */
  'models.lineage': {
    input: z.object({ ref: modelRefSchema }).strict(),
    output: z.object({
      record: modelRecordSchema,
      lineage: lineageSchema.nullable(),
      parent: modelRecordSchema.nullable(),
      children: z.array(z.object({ record: modelRecordSchema, lineage: lineageSchema }))
    })
  }
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>

export const quantizeEvents = {} as const satisfies Record<string, z.ZodType>
