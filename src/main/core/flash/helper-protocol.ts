// The JSON-lines protocol between the app and the privileged writer helper. Versioned, so an app
// and a helper from different builds refuse each other instead of misreading a request.
import { z } from 'zod'
import type { FlashProgress, FlashRequest, FlashResult } from './image-writer'
import type { FlashErrorInfo } from './flash-errors'

export const HELPER_PROTOCOL_VERSION = 1
/** A request is a few paths and ranges; anything longer is refused before it is parsed. */
export const MAX_LINE_BYTES = 1024 * 1024

const range = z.object({ start: z.number().int().nonnegative(), length: z.number().int().positive() })

export const flashRequestSchema = z.strictObject({
  source: z.string().min(1),
  targets: z.array(z.string().min(1)).min(1).max(64),
  expectedSha256: z.string().regex(/^[0-9a-fA-F]{64}$/).optional(),
  bmapPath: z.string().min(1).optional(),
  ranges: z.array(range).max(1_000_000).optional(),
  skipUnused: z.boolean().optional(),
  confirmLarge: z.boolean().optional(),
  maxImageBytes: z.number().int().positive().optional()
}) satisfies z.ZodType<FlashRequest>

export const appMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('write'), id: z.string().min(1).max(64), request: flashRequestSchema }),
  z.strictObject({ type: z.literal('cancel'), id: z.string().min(1).max(64) })
])
export type AppMessage = z.infer<typeof appMessageSchema>

export type HelperMessage =
  | { type: 'hello'; protocol: number; pid: number }
  | { type: 'progress'; id: string; progress: FlashProgress }
  | { type: 'result'; id: string; results: FlashResult[] }
  | { type: 'error'; id: string | null; error: FlashErrorInfo }

export function encodeLine(message: AppMessage | HelperMessage): string {
  return `${JSON.stringify(message)}\n`
}

/** Splits a byte stream into lines, refusing (not buffering) a line longer than the limit. */
export class LineReader {
  private buffered = ''
  private overlong = false

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly onOverlong: () => void,
    private readonly max = MAX_LINE_BYTES
  ) {}

  push(chunk: string): void {
    let text = chunk
    for (;;) {
      const nl = text.indexOf('\n')
      if (nl === -1) break
      const line = this.buffered + text.slice(0, nl)
      text = text.slice(nl + 1)
      this.buffered = ''
      if (this.overlong || line.length > this.max) this.onOverlong()
      else if (line.trim() !== '') this.onLine(line)
      this.overlong = false
    }
    if (this.overlong) return
    this.buffered += text
    if (this.buffered.length > this.max) {
      // Drop what came so far and everything up to the next newline.
      this.buffered = ''
      this.overlong = true
    }
  }
}

export function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line) as unknown
  } catch {
    return undefined
  }
}
