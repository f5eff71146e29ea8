// Language state for the UI. The choice is stored in EdgeDock's settings (SQLite), so it survives
// reloads and is shared by the desktop app and the station.
import { createContext, useCallback, useContext, type ReactNode } from 'react'
import { errorMessage, isErrorCode, type Language } from '../../../shared/errors'
import { dictionaries, type StringKey } from './strings'

export type Translate = (key: StringKey, vars?: Record<string, string | number>) => string

interface I18n {
  lang: Language
  t: Translate
  errorText: (err: unknown) => string
}

const Ctx = createContext<I18n | null>(null)

export function I18nProvider({ lang, children }: { lang: Language; children: ReactNode }) {
  const t = useCallback<Translate>(
    (key, vars) => {
      let s: string = dictionaries[lang][key]
      for (const [k, v] of Object.entries(vars ?? {})) s = s.replaceAll(`{${k}}`, String(v))
      return s
    },
    [lang]
  )
  const errorText = useCallback(
    (err: unknown) => {
      const e = err as { code?: unknown; detail?: string; message?: string }
      return isErrorCode(e?.code) ? errorMessage(e.code, lang, e.detail ?? '') : String(e?.message ?? err)
    },
    [lang]
  )
  return <Ctx.Provider value={{ lang, t, errorText }}>{children}</Ctx.Provider>
}

export function useI18n(): I18n {
  const v = useContext(Ctx)
  if (!v) throw new Error('useI18n outside I18nProvider')
  return v
}
