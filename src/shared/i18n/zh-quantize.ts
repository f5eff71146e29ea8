// Chinese sentences of the quantize area, key for key with en-quantize.ts; spread into zh.ts.
import type { enQuantize } from './en-quantize'
import type { TranslationOf } from './message'

export const zhQuantize = {} as const satisfies TranslationOf<typeof enQuantize>
