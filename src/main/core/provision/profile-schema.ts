// The shape of a provisioning profile (YAML): name, description, typed variables with defaults
// (which may be templates such as `door-{site}-{unit}`), and the steps in order.
import * as z from 'zod'
import { VARIABLE_TYPES } from './variable-rules'

const validRegex = (source: string) => {
  try {
    new RegExp(source, 'u')
    return true
  } catch {
    return false
  }
}

export const variableSchema = z.strictObject({
  type: z.enum(VARIABLE_TYPES).default('string'),
  description: z.string().max(300).optional(),
  pattern: z.string().max(300).refine(validRegex, 'is not a valid regular expression').optional(),
  values: z.array(z.string()).min(1).optional(),
  default: z
    .union([z.string(), z.number(), z.boolean()])
    .transform((v) => String(v))
    .optional()
})

export const VARIABLE_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,40}$/

export const stepSchema = z.looseObject({
  kind: z.string(),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'must be lowercase letters, digits and "-"').optional()
})

export const profileSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and "-"'),
  description: z.string().max(500).default(''),
  variables: z.record(z.string().regex(VARIABLE_NAME_RE, 'variable names are letters, digits and "_"'), variableSchema).default({}),
  steps: z.array(stepSchema).min(1, 'a profile needs at least one step')
})

export type VariableSpec = z.infer<typeof variableSchema>
export type ProfileDoc = z.infer<typeof profileSchema>
