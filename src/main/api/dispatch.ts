// The one door every transport calls through: the method must be in the contract, the input is
// parsed from `unknown` with the method's schema, and errors leave as {code, message, detail}.
import * as z from 'zod'
import { contract, isMethodName, type CallResult, type MethodInput, type MethodName, type MethodOutput } from '../../shared/contract'
import { EdgeError, serializeError, type ErrorCode } from '../../shared/errors'
import type { CallContext, Handlers } from './handlers'

export type Dispatch = (method: unknown, input: unknown, ctx: CallContext) => Promise<CallResult>

export function createDispatch(handlers: Handlers, onInternalError: (err: unknown, method: string) => void = () => {}): Dispatch {
  return async (method, input, ctx) => {
    try {
      if (!isMethodName(method)) throw new EdgeError('UNKNOWN_METHOD', String(method).slice(0, 80))
      const parsed = contract.methods[method].input.safeParse(input ?? {})
      if (!parsed.success) throw new EdgeError('INVALID_INPUT', describeIssues(parsed.error))
      const handler = handlers[method] as (input: unknown, ctx: CallContext) => unknown
      const value = await handler(parsed.data, ctx)
      return { ok: true, value }
    } catch (err) {
      if (err instanceof EdgeError) return { ok: false, error: serializeError(err) }
      onInternalError(err, String(method))
      return { ok: false, error: serializeError(new EdgeError('INTERNAL', String(method))) }
    }
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')} ${i.message}` : i.message))
    .join('; ')
}

/** Direct, typed calls for the CLI: the same door as the other transports. */
export function directClient(dispatch: Dispatch) {
  return async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    const r = await dispatch(method, input, { transport: 'cli' })
    if (!r.ok) throw new EdgeError(r.error.code as ErrorCode, r.error.detail)
    return r.value as MethodOutput<M>
  }
}
