// Chinese sentences of the logs area, key for key with en-logs.ts; spread into zh.ts.
import type { enLogs } from './en-logs'
import type { TranslationOf } from './message'

export const zhLogs = {} as const satisfies TranslationOf<typeof enLogs>
