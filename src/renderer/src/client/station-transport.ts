// The station's WebSocket transport: request/response by id, events pushed, reconnect with backoff
// (the bench box may restart; the page keeps working when it comes back).
import type { CallResult, EventName, MethodName } from '../../../shared/contract'
import type { Transport } from './create-client'

export function connectStation(location: Location): Transport {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`
  const pending = new Map<number, (r: CallResult) => void>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const queue: string[] = []
  let nextId = 1
  let socket: WebSocket
  let backoff = 250

  const open = () => {
    socket = new WebSocket(url)
    socket.onopen = () => {
      backoff = 250
      for (const m of queue.splice(0)) socket.send(m)
      listeners.get('__reconnected')?.forEach((l) => l(null))
    }
    socket.onmessage = (e) => {
      const msg = JSON.parse(String(e.data)) as { id?: number; result?: CallResult; event?: string; payload?: unknown }
      if (msg.id !== undefined && msg.result) {
        pending.get(msg.id)?.(msg.result)
        pending.delete(msg.id)
      } else if (msg.event) listeners.get(msg.event)?.forEach((l) => l(msg.payload))
    }
    socket.onclose = () => {
      for (const [id, resolve] of pending) {
        resolve({ ok: false, error: { code: 'HOST_UNREACHABLE', message: 'The station closed the connection.', detail: 'station' } })
        pending.delete(id)
      }
      setTimeout(open, backoff)
      backoff = Math.min(backoff * 2, 5000)
    }
  }
  open()

  return {
    kind: 'station',
    call(method: MethodName, input: unknown) {
      const id = nextId++
      const text = JSON.stringify({ id, method, input })
      return new Promise<CallResult>((resolve) => {
        pending.set(id, resolve)
        if (socket.readyState === WebSocket.OPEN) socket.send(text)
        else queue.push(text)
      })
    },
    on(event: EventName, listener: (payload: unknown) => void) {
      const set = listeners.get(event) ?? new Set()
      set.add(listener)
      listeners.set(event, set)
      return () => set.delete(listener)
    }
  }
}
