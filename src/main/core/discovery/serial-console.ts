// A tiny "expect" over a serial console stream: collects what the unit prints and waits for
// patterns, with timeouts and a clean failure when the port closes.

import type { Duplex } from 'node:stream'
import { SerialConsoleClosedError } from './errors'

/** What the bootstrap needs from a console port; a serialport SerialPort is one. */
export type ConsoleStream = Pick<Duplex, 'write' | 'on' | 'off'>

export interface Expectation<T> {
  pattern: RegExp
  value: T
}

export class ConsoleTimeoutError extends Error {
  constructor(readonly lastOutput: string) {
    super('timed out waiting on the console')
  }
}

// Terminal control sequences (colours, bracketed-paste on/off) are noise to the parser.
// eslint-disable-next-line no-control-regex -- ESC is exactly what has to be matched here
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]/g
// The start of a sequence whose end has not arrived yet: a real port delivers a byte or a few at a
// time, so "\x1b[?2004h" often comes in pieces and must be held back until it is whole.
// eslint-disable-next-line no-control-regex -- as above
const PARTIAL_ANSI = /\x1b(\[[0-9;?]*|[()])?$/

export class ConsoleSession {
  private buffer = ''
  /** received text that may end in an unfinished control sequence */
  private pending = ''
  private closed = false
  private wake: (() => void) | null = null
  /** everything received, for the job log */
  transcript = ''

  private readonly onData = (chunk: Buffer | string): void => {
    const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8')
    this.transcript += text
    this.pending += text
    const partial = PARTIAL_ANSI.exec(this.pending)
    const whole = partial ? this.pending.slice(0, partial.index) : this.pending
    this.pending = partial ? this.pending.slice(partial.index) : ''
    this.buffer += whole.replace(ANSI, '')
    this.wake?.()
  }

  private readonly onClose = (): void => {
    this.closed = true
    this.wake?.()
  }

  constructor(private readonly stream: ConsoleStream) {
    stream.on('data', this.onData)
    stream.on('close', this.onClose)
    stream.on('end', this.onClose)
    // A port that fails (cable pulled, device gone) is a closed console, not a crash.
    stream.on('error', this.onClose)
  }

  send(text: string): void {
    if (!this.closed) this.stream.write(text)
  }

  /** Discards what was printed so far (old prompts, boot messages). */
  clear(): void {
    this.buffer = ''
  }

  /**
   * Resolves with the first expectation whose pattern matches the unread output, and the text
   * before the match; consumes up to the end of the match.
   */
  async expect<T>(expectations: ReadonlyArray<Expectation<T>>, timeoutMs: number): Promise<{ value: T; before: string; match: RegExpExecArray }> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      let best: { value: T; match: RegExpExecArray } | null = null
      for (const e of expectations) {
        const match = e.pattern.exec(this.buffer)
        if (match && (best === null || match.index < best.match.index)) best = { value: e.value, match }
      }
      if (best) {
        const before = this.buffer.slice(0, best.match.index)
        this.buffer = this.buffer.slice(best.match.index + best.match[0].length)
        return { ...best, before }
      }
      if (this.closed) throw new SerialConsoleClosedError()
      const left = deadline - Date.now()
      if (left <= 0) throw new ConsoleTimeoutError(this.buffer.slice(-500))
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      this.wake = null
    }
  }

  dispose(): void {
    this.stream.off('data', this.onData)
    this.stream.off('close', this.onClose)
    this.stream.off('end', this.onClose)
    this.stream.off('error', this.onClose)
  }
}
