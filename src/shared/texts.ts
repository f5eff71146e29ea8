// Text made outside the UI (job titles, step names, step details): a catalogue key and its
// parameters travel with the job, and each front end words them in its language. The CLI and stored
// titles use English. The entries live in the catalogues (src/shared/i18n), with the UI's strings.
import type { Text, TextParam } from './domain'
import { catalogues, isMessageKey, type Language, type MessageKey } from './i18n'
import { formatMessage, type MessageVars } from './i18n/message'
import type { en } from './i18n/en'

export type TextKey = MessageKey

type ParamsFor<K extends MessageKey> = [MessageVars<(typeof en)[K]>] extends [never]
  ? [params?: Readonly<Record<string, never>>]
  : [params: { readonly [V in MessageVars<(typeof en)[K]>]: TextParam }]

/** Builds a text for catalogue entry `key`; a parameter may itself be a text (a step on a unit). */
export function text<K extends TextKey>(key: K, ...[params]: ParamsFor<K>): Text {
  return { key, params: { ...(params ?? {}) } }
}

export const isTextKey: (key: unknown) => key is TextKey = isMessageKey

/** Words a text in `lang`; an unknown key (from a newer EdgeDock) falls back to the key itself. */
export function formatText(t: Text, lang: Language): string {
  if (!isTextKey(t.key)) return t.key
  const vars = Object.fromEntries(Object.entries(t.params).map(([k, v]) => [k, typeof v === 'object' ? formatText(v, lang) : v]))
  return formatMessage(catalogues[lang][t.key], lang, vars)
}

/** What a UI shows for core-made text: `t` in `lang`, else the stored English (a row written before
 * texts existed, or a key from a newer EdgeDock this one does not know). */
export function textOr(t: Text | null | undefined, english: string, lang: Language): string {
  return t && isTextKey(t.key) ? formatText(t, lang) : english
}

/** The English wording of a label that is a string or a text (for logs, the CLI and stored columns). */
export function englishOf(label: string | Text): string {
  return typeof label === 'string' ? label : formatText(label, 'en')
}
