// Model library schemas for the contract (mirroring core/models' types).
import * as z from 'zod'

const shape = z.array(z.union([z.number(), z.string()])).nullable()
export const precisionSchema = z.enum(['fp32', 'fp16', 'bf16', 'fp64', 'int8-qdq', 'int8-qoperator', 'unknown'])

export const modelSummarySchema = z.object({
  irVersion: z.number(),
  producer: z.object({ name: z.string(), version: z.string() }),
  opsets: z.array(z.object({ domain: z.string(), version: z.number() })),
  inputs: z.array(z.object({ name: z.string(), elementType: z.string(), shape })),
  outputs: z.array(z.object({ name: z.string(), elementType: z.string(), shape })),
  nodeCount: z.number(),
  opHistogram: z.record(z.string(), z.number()),
  parameterCount: z.number(),
  initializerBytes: z.number(),
  initializerTypes: z.record(z.string(), z.object({ tensors: z.number(), elements: z.number(), bytes: z.number() })),
  precision: precisionSchema,
  quantization: z
    .object({ format: z.enum(['qdq', 'qoperator']), weightTypes: z.array(z.string()), ops: z.record(z.string(), z.number()) })
    .nullable(),
  externalDataTensors: z.array(z.string()),
  metadata: z.record(z.string(), z.string())
})

export const modelRecordSchema = z.object({
  sha256: z.string(),
  name: z.string(),
  version: z.string(),
  notes: z.string(),
  sourceFileName: z.string(),
  sizeBytes: z.number(),
  importedAt: z.number(),
  summary: modelSummarySchema
})
export type ModelRecordDto = z.infer<typeof modelRecordSchema>

const valueInfo = z.object({ name: z.string(), isTensor: z.boolean(), elementType: z.string(), shape })
export const inspectionSchema = z.object({
  record: modelRecordSchema.nullable(),
  summary: modelSummarySchema,
  runtime: z.union([
    z.object({ ok: z.literal(true), engine: z.string(), inputs: z.array(valueInfo), outputs: z.array(valueInfo), loadMs: z.number() }),
    z.object({ ok: z.literal(false), code: z.string(), message: z.string(), detail: z.string() })
  ])
})

export type InspectionDto = z.infer<typeof inspectionSchema>

const latency = z.object({ meanMs: z.number(), p50Ms: z.number(), p95Ms: z.number(), minMs: z.number(), maxMs: z.number() })
const modelResult = z.object({
  label: z.string(),
  inputName: z.string(),
  outputName: z.string(),
  inputDims: z.array(z.number()),
  correct: z.number(),
  accuracy: z.number(),
  latency
})
export const compareReportSchema = z.object({
  engine: z.string(),
  samples: z.number(),
  a: modelResult,
  b: modelResult,
  agreeing: z.number(),
  top1Agreement: z.number(),
  outputError: z.object({ maxAbs: z.number(), meanAbs: z.number(), maxRel: z.number(), meanRel: z.number() })
})
export type CompareReportDto = z.infer<typeof compareReportSchema>

/** name@version, a sha256 or an 8+ character sha256 prefix. */
export const modelRefSchema = z.string().min(1).max(200).regex(/^[^\s/\\]+$/, 'must be name@version or a sha256')
export const modelNameSchema = z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N}][\p{L}\p{N} ._+-]*$/u, 'must be letters, digits, space or . _ + -')
export const modelVersionSchema = z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, 'must be like 1, 2.1 or 2026-11-25')
