import type { AgentErrorCode } from './protocol'

/** An error with a wire code: the HTTP layer turns it into `{error: {code, message}}`. */
export class AgentError extends Error {
  override readonly name = 'AgentError'
  constructor(
    readonly code: AgentErrorCode,
    message: string,
    readonly httpStatus = 500,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
