// What the Provision wizard needs to know about a built-in profile before it runs anything: its
// variables (type, pattern, allowed values, default) and its steps, in the profile's order.
import * as z from 'zod'
import { VARIABLE_TYPES } from './variable-rules'

export const profileVariableSchema = z.object({
  name: z.string(),
  type: z.enum(VARIABLE_TYPES),
  description: z.string().nullable(),
  pattern: z.string().nullable(),
  values: z.array(z.string()).nullable(),
  /** May be a template of other variables, e.g. `door-{site}-{unit}`; null: the value is required. */
  default: z.string().nullable()
})
export type ProfileVariable = z.infer<typeof profileVariableSchema>

export const profileInfoSchema = z.object({
  name: z.string(),
  description: z.string(),
  variables: z.array(profileVariableSchema),
  steps: z.array(z.object({ id: z.string(), kind: z.string() }))
})
export type ProfileInfo = z.infer<typeof profileInfoSchema>
