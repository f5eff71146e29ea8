// The quantize part of the API contract, spread into contract.ts.
import * as z from 'zod'

export const quantizeMethods = {} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>

export const quantizeEvents = {} as const satisfies Record<string, z.ZodType>
