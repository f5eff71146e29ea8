// What a variable value may be. Values end up as arguments of remote commands; the quoting module
// would keep them safe anyway, but a hostname like `door;reboot` is a mistake in a site plan, so it is
// refused before anything runs, with the variable named.

export const VARIABLE_TYPES = ['string', 'name', 'hostname', 'timezone', 'locale', 'integer', 'secret', 'enum'] as const
export type VariableType = (typeof VARIABLE_TYPES)[number]

// Shell metacharacters, quotes, braces (our template syntax) and control characters.
// eslint-disable-next-line no-control-regex
const SHELL_CHAR_RE = /[`$;&|<>\\'"(){}[\]*?!#~^\u0000-\u001f\u007f]/u

/** RFC 1123 label: what a Pi's own hostname must be (no dots: the unit's name, not a FQDN). */
export const HOSTNAME_LABEL_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/

const RULES: Record<Exclude<VariableType, 'enum' | 'secret'>, { re: RegExp; says: string }> = {
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

/** Returns why `value` is not acceptable for `rule`, or null. Never echoes a secret. */
export function variableProblem(rule: VariableRule, value: string): string | null {
  const shown = rule.type === 'secret' ? 'the value' : `"${value}"`
  const bad = SHELL_CHAR_RE.exec(value)
  if (bad) {
    const ch = bad[0]
    // eslint-disable-next-line no-control-regex
    const label = /[\u0000-\u001f\u007f]/.test(ch) ? `control character U+${ch.charCodeAt(0).toString(16).padStart(4, '0')}` : `"${ch}"`
    return `${shown} contains the shell character ${label}`
  }
  if (value.length > 253) return `${shown} is longer than 253 characters`
  if (rule.type === 'enum') {
    if (!rule.values?.includes(value)) return `${shown} is not one of ${(rule.values ?? []).join(', ')}`
  } else if (rule.type === 'secret') {
    if (!/^[\x20-\x7e]*$/.test(value)) return `${shown} must be printable ASCII`
  } else if (value !== '') {
    const r = RULES[rule.type]
    if (!r.re.test(value)) return `${shown} is not ${r.says}`
  }
  if (rule.pattern !== undefined && value !== '' && !new RegExp(`^(?:${rule.pattern})$`, 'u').test(value)) {
    return `${shown} does not match the pattern ${rule.pattern}`
  }
  return null
}
