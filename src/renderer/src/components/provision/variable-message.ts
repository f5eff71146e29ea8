// A refused variable value in the UI language, from the same rules the engine applies.
import { describeChar, variableIssue, type VariableIssue } from '../../../../shared/variable-rules'
import type { ProfileVariable } from '../../../../shared/provision'
import type { Translate } from '../../i18n/i18n'

function words(issue: VariableIssue, t: Translate): string {
  switch (issue.kind) {
    case 'shell-char':
      return t('var.shellChar', { ch: describeChar(issue.char) })
    case 'too-long':
      return t('var.tooLong')
    case 'not-one-of':
      return t('var.notOneOf', { values: issue.values.join(', ') })
    case 'not-printable':
      return t('var.notPrintable')
    case 'type':
      return t(`var.type.${issue.type}`)
    case 'pattern':
      return t('var.pattern', { pattern: issue.pattern })
  }
}

/**
 * What is wrong with a typed value, or null. An empty field falls back to the default; a variable
 * with no default needs a value unless a site plan gives one per unit.
 */
export function variableMessage(v: ProfileVariable, value: string, t: Translate, sitePlan: boolean): string | null {
  if (value === '') return v.default === null && !sitePlan ? t('var.required') : null
  const issue = variableIssue({ type: v.type, pattern: v.pattern ?? undefined, values: v.values ?? undefined }, value)
  return issue ? words(issue, t) : null
}
