// A typed in-process event hub for the contract's events; transports subscribe and forward.
import type { EventName, EventPayload } from '../../shared/contract'

type Listener = (event: EventName, payload: unknown) => void

export class EventHub {
  private readonly listeners = new Set<Listener>()

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners) {
      try {
        l(event, payload)
      } catch {
        // A failing subscriber (a closed socket, a destroyed window) must not stop the others.
      }
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
