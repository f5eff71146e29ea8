// The JSON-lines protocol between the app and the privileged writer helper. Versioned, so an app
// and a helper from different builds refuse each other instead of misreading a request.
import { z } from 'zod'
import type { FlashProgress, FlashRequest, FlashResult } from './image-writer'
import type { FlashErrorInfo } from './flash-errors'
import type { BootSettings, CustomiseResult } from './customise'

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

const text = z.string().max(16_384)

/** First-boot settings; the helper still runs every value through checkSettings before writing it. */
export const bootSettingsSchema = z.strictObject({
  hostname: text.optional(),
  user: z.strictObject({ name: text, password: text.optional(), passwordHash: text.optional() }).optional(),
  authorizedKeys: z.array(text).max(32).optional(),
  wifi: z.strictObject({ country: text, ssid: text, passphrase: text.optional(), psk: text.optional(), hidden: z.boolean().optional() }).optional(),
  locale: text.optional(),
  keyboardLayout: text.optional(),
  timezone: text.optional(),
  staticIp: z.strictObject({ interface: z.enum(['eth0', 'wlan0']), address: text, gateway: text.optional(), dns: z.array(text).max(8).optional() }).optional(),
  hostKey: z.boolean().optional()
}) satisfies z.ZodType<BootSettings>

export const appMessageSchema = z.discriminatedUnion('type', [
  // `customise`: after a target is written and verified, its boot partition is set up for the first
  // boot by the helper too (it alone may open a drive), once the writer has let go of the target.
  z.strictObject({ type: z.literal('write'), id: z.string().min(1).max(64), request: flashRequestSchema, customise: bootSettingsSchema.optional() }),
  z.strictObject({ type: z.literal('cancel'), id: z.string().min(1).max(64) })
])
export type AppMessage = z.infer<typeof appMessageSchema>

/** What a customised target got: the files, the unit's host key (public half only), or why not. */
export interface FirstBootOutcome {
  result: CustomiseResult | null
  error: FlashErrorInfo | null
}

/** A target's result from the helper; `firstBoot` is there when settings were asked for. */
export type HelperFlashResult = FlashResult & { firstBoot?: FirstBootOutcome }

export type HelperMessage =
  | { type: 'hello'; protocol: number; pid: number }
  | { type: 'progress'; id: string; progress: FlashProgress }
  | { type: 'result'; id: string; results: HelperFlashResult[] }
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
