// What a catalogue entry is, the variables TypeScript reads out of it, and how it is worded.
// Why in-house rather than intl-messageformat: our messages need only `{name}` variables and a plural
// choice on one number, which `Intl.PluralRules` (built into Node, Chromium and Electron) does with
// CLDR's rules for every language. Keeping entries as plain strings, or objects of plain strings per
// plural category, lets template-literal types read each variable name out of the English literal,
// so a missing or misnamed variable at a call site is a tsc error; ICU's nested `{n, plural, …}`
// syntax cannot be typed that way, and the library would add parsing work to every render.

export type Language = 'en' | 'zh'
export const languages: readonly Language[] = ['en', 'zh']

/**
 * A message that depends on a number: `count` names the variable whose value picks the CLDR plural
 * category (English: one, other; Chinese: other only). `other` is required; a missing category falls
 * back to it.
 */
export interface Plural {
  readonly count: string
  readonly zero?: string
  readonly one?: string
  readonly two?: string
  readonly few?: string
  readonly many?: string
  readonly other: string
}
export type Message = string | Plural

/** A variable is `{name}` with letters, digits and `_`; other braces (JSON in a hint) are text. */
const VARIABLE = /\{(\w+)\}/g

type NameChar =
  | 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l' | 'm'
  | 'n' | 'o' | 'p' | 'q' | 'r' | 's' | 't' | 'u' | 'v' | 'w' | 'x' | 'y' | 'z'
  | 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M'
  | 'N' | 'O' | 'P' | 'Q' | 'R' | 'S' | 'T' | 'U' | 'V' | 'W' | 'X' | 'Y' | 'Z'
  | '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '_'
type IsName<S extends string> = S extends `${infer C}${infer R}` ? (C extends NameChar ? (R extends '' ? true : IsName<R>) : false) : false
type StringVars<S extends string> = S extends `${string}{${infer V}}${infer Rest}`
  ? (IsName<V> extends true ? V : never) | StringVars<Rest>
  : never

/** The variable names a message uses, read from its literal type. */
export type MessageVars<M> = M extends string
  ? StringVars<M>
  : M extends Plural
    ? (M['count'] & string) | StringVars<Extract<M[Exclude<keyof M, 'count'>], string>>
    : never

export type VarValues = Readonly<Record<string, string | number>>

/** The argument after the key: none for a message without variables, else exactly its variables. */
export type VarsArg<M> = [MessageVars<M>] extends [never]
  ? [vars?: Readonly<Record<string, never>>]
  : [vars: { readonly [V in MessageVars<M>]: string | number }]

/** Keys of `E` whose message in `Z` uses other variables; `never` when all agree. */
type Mismatched<E, Z> = {
  [K in keyof E & keyof Z]: [MessageVars<E[K]>] extends [MessageVars<Z[K]>]
    ? [MessageVars<Z[K]>] extends [MessageVars<E[K]>]
      ? never
      : K
    : K
}[keyof E & keyof Z]

/** `true` when every translation uses the English variables; else names the keys that do not. */
export type SameVariables<E, Z> = [Mismatched<E, Z>] extends [never] ? true : { variablesDifferFromEnglish: Mismatched<E, Z> }

/** A translation of catalogue `E`: every key, nothing else (excess keys fail `satisfies`). */
export type TranslationOf<E> = { readonly [K in keyof E]: Message }

const rules = new Map<Language, Intl.PluralRules>()
function pluralRules(lang: Language): Intl.PluralRules {
  let r = rules.get(lang)
  if (!r) rules.set(lang, (r = new Intl.PluralRules(lang)))
  return r
}

/** The variable names in a message at run time (the tests compare languages with it). */
export function variablesOf(m: Message): string[] {
  const forms = typeof m === 'string' ? [m] : Object.entries(m).filter(([k]) => k !== 'count').map(([, v]) => v as string)
  const names = new Set(forms.flatMap((s) => [...s.matchAll(VARIABLE)].map((x) => x[1]!)))
  if (typeof m !== 'string') names.add(m.count)
  return [...names].sort()
}

/** Words `m` in `lang`: picks the plural form, then fills `{name}`s (an unknown one stays as written). */
export function formatMessage(m: Message, lang: Language, vars: VarValues = {}): string {
  let s: string
  if (typeof m === 'string') s = m
  else {
    const n = Number(vars[m.count])
    s = (Number.isFinite(n) ? m[pluralRules(lang).select(n) as Exclude<keyof Plural, 'count'>] : undefined) ?? m.other
  }
  return s.replace(VARIABLE, (whole, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : whole))
}
