// English sentences of the quantize area, spread into en.ts.
import type { Message } from './message'

export const enQuantize = {} as const satisfies Record<string, Message>
