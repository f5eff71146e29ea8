// The logs part of the API contract, spread into contract.ts.
import * as z from 'zod'

export const logsMethods = {} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>

export const logsEvents = {} as const satisfies Record<string, z.ZodType>
