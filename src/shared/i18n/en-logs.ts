// English sentences of the logs area, spread into en.ts.
import type { Message } from './message'

export const enLogs = {} as const satisfies Record<string, Message>
