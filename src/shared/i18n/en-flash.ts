// English sentences of the flash area, spread into en.ts.
import type { Message } from './message'

export const enFlash = {} as const satisfies Record<string, Message>
