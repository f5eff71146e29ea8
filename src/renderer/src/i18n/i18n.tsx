// Language state for the UI. The choice is stored in EdgeDock's settings (SQLite), so it survives
// reloads and is shared by the desktop app and the station. The words are in src/shared/i18n.
import { createContext, useCallback, useContext, type ReactNode } from 'react'
import type { Text } from '../../../shared/domain'
import { errorMessage, isErrorCode, type Language } from '../../../shared/errors'
import { translate, type ArgsFor, type MessageKey } from '../../../shared/i18n'
import { textOr } from '../../../shared/texts'

/** Typed by key and variables: `t('devices.count', { n })`; a wrong or missing variable fails tsc. */
export type Translate = <K extends MessageKey>(key: K, ...vars: ArgsFor<K>) => string

interface I18n {
  lang: Language
  t: Translate
  /** Core-made text (a job title, a step) in the UI language; the stored English when there is no
   * text (older rows) or its key is unknown here (written by a newer EdgeDock). */
  say: (text: Text | null | undefined, english: string) => string
  errorText: (err: unknown) => string
}

const Ctx = createContext<I18n | null>(null)

export function I18nProvider({ lang, children }: { lang: Language; children: ReactNode }) {
  const t = useCallback<Translate>((key, ...vars) => translate(lang, key, ...vars), [lang])
  const say = useCallback((text: Text | null | undefined, english: string) => textOr(text, english, lang), [lang])
  const errorText = useCallback(
    (err: unknown) => {
      const e = err as { code?: unknown; detail?: string; message?: string }
      return isErrorCode(e?.code) ? errorMessage(e.code, lang, e.detail ?? '') : String(e?.message ?? err)
    },
    [lang]
  )
  return <Ctx.Provider value={{ lang, t, say, errorText }}>{children}</Ctx.Provider>
}

export function useI18n(): I18n {
  const v = useContext(Ctx)
  if (!v) throw new Error('useI18n outside I18nProvider')
  return v
}
