// What a variable value may be. Values end up as arguments of remote commands; the quoting module
// would keep them safe anyway, but a hostname like `door;reboot` is a mistake in a site plan, so it is
// refused before anything runs, with the variable named. The rules themselves are in src/shared so
// the Provision wizard checks values with exactly the same ones as the user types.
import { describeChar, TYPE_RULES, variableIssue, type VariableRule } from '../../../shared/variable-rules'

export { HOSTNAME_LABEL_RE, VARIABLE_TYPES, type VariableRule, type VariableType } from '../../../shared/variable-rules'

/** Returns why `value` is not acceptable for `rule`, or null. Never echoes a secret. */
export function variableProblem(rule: VariableRule, value: string): string | null {
  const shown = rule.type === 'secret' ? 'the value' : `"${value}"`
  const issue = variableIssue(rule, value)
  if (!issue) return null
  switch (issue.kind) {
    case 'shell-char':
      return `${shown} contains the shell character ${describeChar(issue.char)}`
    case 'too-long':
      return `${shown} is longer than 253 characters`
    case 'not-one-of':
      return `${shown} is not one of ${issue.values.join(', ')}`
    case 'not-printable':
      return `${shown} must be printable ASCII`
    case 'type':
      return `${shown} is not ${TYPE_RULES[issue.type].says}`
    case 'pattern':
      return `${shown} does not match the pattern ${issue.pattern}`
  }
}
