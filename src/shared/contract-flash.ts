// The flash part of the API contract, spread into contract.ts.
import * as z from 'zod'

export const flashMethods = {} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>

export const flashEvents = {} as const satisfies Record<string, z.ZodType>
