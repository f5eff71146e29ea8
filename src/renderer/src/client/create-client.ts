// The renderer's typed client: Electron's preload bridge when present, else the station's WebSocket.
// Both return {ok, value} | {ok: false, error}; this unwraps into values and ClientErrors.
import type { CallResult, EdgeDockClient, EventName, MethodName } from '../../../shared/contract'
import { methodNames } from '../../../shared/contract'
import { isErrorCode, type ErrorCode } from '../../../shared/errors'
import { connectStation } from './station-transport'

export class ClientError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    message: string
  ) {
    super(message)
  }
}

export interface Transport {
  call(method: MethodName, input: unknown): Promise<CallResult>
  on(event: EventName, listener: (payload: unknown) => void): () => void
  kind: 'electron' | 'station'
}

interface Bridge {
  on(event: EventName, listener: (payload: unknown) => void): () => void
  [method: string]: unknown
}

function electronTransport(bridge: Bridge): Transport {
  return {
    kind: 'electron',
    call: (method, input) => (bridge[method] as (i: unknown) => Promise<CallResult>)(input),
    on: (event, listener) => bridge.on(event, listener)
  }
}

export function wrap(transport: Transport): EdgeDockClient & { kind: Transport['kind'] } {
  const client = Object.fromEntries(
    methodNames.map((m) => [
      m,
      async (input: unknown) => {
        const r = await transport.call(m, input)
        if (r.ok) return r.value
        const code = isErrorCode(r.error.code) ? r.error.code : 'INTERNAL'
        throw new ClientError(code, r.error.detail, r.error.message)
      }
    ])
  ) as unknown as EdgeDockClient
  return Object.assign(client, {
    on: ((event, listener) => transport.on(event, listener as (p: unknown) => void)) as EdgeDockClient['on'],
    kind: transport.kind
  })
}

export function createClient(): EdgeDockClient & { kind: Transport['kind'] } {
  const bridge = (window as unknown as { edgedock?: Bridge }).edgedock
  return wrap(bridge ? electronTransport(bridge) : connectStation(window.location))
}
