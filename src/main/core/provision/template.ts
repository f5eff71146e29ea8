// `door-{site}-{unit}`: placeholders are variable names in braces. Braces are refused inside values
// (see variable-rules), so an expanded value is never expanded a second time.

const PLACEHOLDER_RE = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g

export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER_RE)].map((m) => m[1] as string)
}

/** Replaces each placeholder with `lookup(name)`; lookup throws for a name it does not know. */
export function expand(template: string, lookup: (name: string) => string): string {
  return template.replace(PLACEHOLDER_RE, (_, name: string) => lookup(name))
}
