// `--var k=v` as the CLI and the station receive it. Only the split is done here; the profile's
// variable rules judge the value (resolve-units), so there is one place that says what is valid.
import { EdgeError } from '../../../shared/errors'
import { VARIABLE_NAME_RE } from './profile-schema'

export function parseVarArgs(args: readonly string[]): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const arg of args) {
    const eq = arg.indexOf('=')
    const name = eq > 0 ? arg.slice(0, eq) : ''
    if (!VARIABLE_NAME_RE.test(name)) throw new EdgeError('PROFILE_VARIABLE_INVALID', `"${arg.slice(0, 60)}" is not name=value`)
    if (Object.hasOwn(vars, name)) throw new EdgeError('PROFILE_VARIABLE_INVALID', `variable "${name}" is given twice`)
    vars[name] = arg.slice(eq + 1)
  }
  return vars
}
