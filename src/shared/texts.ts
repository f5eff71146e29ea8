// Text made outside the UI (job titles, step names, step details): a key and its parameters travel
// with the job, and each front end words them in its language. The CLI and stored titles use English.
import type { Language } from './errors'
import type { Text } from './domain'

export const texts = {
  'job.generic': { en: '{title}', zh: '{title}' }
} satisfies Record<string, Record<Language, string>>

export type TextKey = keyof typeof texts

/** Builds a text for the catalogue entry `key`. */
export function text(key: TextKey, params: Text['params'] = {}): Text {
  return { key, params }
}

export function isTextKey(key: unknown): key is TextKey {
  return typeof key === 'string' && Object.hasOwn(texts, key)
}

/** Words a text in `lang`; an unknown key (from a newer EdgeDock) falls back to the key itself. */
export function formatText(t: Text, lang: Language): string {
  if (!isTextKey(t.key)) return t.key
  let s: string = texts[t.key][lang]
  for (const [k, v] of Object.entries(t.params)) s = s.replaceAll(`{${k}}`, String(v))
  return s
}
