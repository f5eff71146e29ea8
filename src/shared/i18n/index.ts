// The catalogues by language, and wording a key in one of them.
import { en } from './en'
import { formatMessage, type Language, type Message, type MessageVars, type VarValues, type VarsArg } from './message'
import { zh } from './zh'

export type { Language, Message, Plural, VarValues } from './message'
export { languages, variablesOf } from './message'

export const catalogues: Record<Language, Readonly<Record<MessageKey, Message>>> = { en, zh }

export type MessageKey = keyof typeof en
/** What must follow `key` in a call: nothing, or an object with exactly the message's variables. */
export type ArgsFor<K extends MessageKey> = VarsArg<(typeof en)[K]>

/** Keys of messages without variables (a key passed around as a prop or picked at run time). */
export type PlainKey = { [K in MessageKey]: [MessageVars<(typeof en)[K]>] extends [never] ? K : never }[MessageKey]

export function isMessageKey(key: unknown): key is MessageKey {
  return typeof key === 'string' && Object.hasOwn(en, key)
}

/** Words `key` in `lang`, typed: the variables must be exactly the message's. */
export function translate<K extends MessageKey>(lang: Language, key: K, ...[vars]: ArgsFor<K>): string {
  return formatMessage(catalogues[lang][key], lang, vars as VarValues | undefined)
}
