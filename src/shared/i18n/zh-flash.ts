// Chinese sentences of the flash area, key for key with en-flash.ts; spread into zh.ts.
import type { enFlash } from './en-flash'
import type { TranslationOf } from './message'

export const zhFlash = {} as const satisfies TranslationOf<typeof enFlash>
