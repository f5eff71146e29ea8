// What a profile variable's value may be, as data: the provisioning engine (English sentences, in
// src/main/core/provision/variable-rules.ts) and the Provision wizard (messages in the UI language,
// as the technician types) judge values with these same rules, so the two can never disagree.

export const VARIABLE_TYPES = ['string', 'name', 'hostname', 'timezone', 'locale', 'integer', 'secret', 'enum'] as const
export type VariableType = (typeof VARIABLE_TYPES)[number]

// Shell metacharacters, quotes, braces (our template syntax) and control characters.
// eslint-disable-next-line no-control-regex
export const SHELL_CHAR_RE = /[`$;&|<>\\'"(){}[\]*?!#~^\u0000-\u001f\u007f]/u

/** RFC 1123 label: what a Pi's own hostname must be (no dots: the unit's name, not a FQDN). */
export const HOSTNAME_LABEL_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/

export type CheckedType = Exclude<VariableType, 'enum' | 'secret'>

export const TYPE_RULES: Record<CheckedType, { re: RegExp; says: string }> = {
  string: { re: /^[\p{L}\p{N} ._:@/+,=%-]*$/u, says: 'letters, digits, spaces and . _ : @ / + , = % -' },
  name: { re: /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/, says: 'letters, digits, "_" and "-", starting with a letter or digit' },
  hostname: {
    re: HOSTNAME_LABEL_RE,
    says: 'a valid host name (RFC 1123): 1-63 letters, digits and "-", not starting or ending with "-"'
  },
  timezone: { re: /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/, says: 'a time zone such as Europe/Berlin or Etc/UTC' },
  locale: { re: /^(?:[a-z]{2,3}_[A-Z]{2}|C)\.UTF-8$/, says: 'a UTF-8 locale such as en_GB.UTF-8 or C.UTF-8' },
  integer: { re: /^-?[0-9]{1,9}$/, says: 'a whole number' }
}

export interface VariableRule {
  type: VariableType
  pattern?: string | undefined
  values?: readonly string[] | undefined
}

/** Why a value is refused, as data, so each caller words it in its own language. */
export type VariableIssue =
  | { kind: 'shell-char'; char: string }
  | { kind: 'too-long' }
  | { kind: 'not-one-of'; values: readonly string[] }
  | { kind: 'not-printable' }
  | { kind: 'type'; type: CheckedType }
  | { kind: 'pattern'; pattern: string }

/** How a refused character reads to a person: `";"`, or `control character U+000a`. */
export function describeChar(ch: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(ch) ? `control character U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}` : `"${ch}"`
}

export function variableIssue(rule: VariableRule, value: string): VariableIssue | null {
  const bad = SHELL_CHAR_RE.exec(value)
  if (bad) return { kind: 'shell-char', char: bad[0] }
  if (value.length > 253) return { kind: 'too-long' }
  if (rule.type === 'enum') {
    if (!rule.values?.includes(value)) return { kind: 'not-one-of', values: rule.values ?? [] }
  } else if (rule.type === 'secret') {
    if (!/^[\x20-\x7e]*$/.test(value)) return { kind: 'not-printable' }
  } else if (value !== '' && !TYPE_RULES[rule.type].re.test(value)) {
    return { kind: 'type', type: rule.type }
  }
  if (rule.pattern !== undefined && value !== '' && !new RegExp(`^(?:${rule.pattern})$`, 'u').test(value)) {
    return { kind: 'pattern', pattern: rule.pattern }
  }
  return null
}
