import { createContext, useContext, useEffect, useState } from 'react'
import type { EdgeDockClient, EventName, EventPayload } from '../../../shared/contract'

export type Client = EdgeDockClient & { kind: 'electron' | 'station' }

export const ClientContext = createContext<Client | null>(null)

export function useClient(): Client {
  const c = useContext(ClientContext)
  if (!c) throw new Error('useClient outside ClientContext')
  return c
}

/** Loads a value once and keeps it in step with an event that carries the new value. */
export function useLive<T, E extends EventName>(load: (c: Client) => Promise<T>, event: E, pick: (p: EventPayload<E>) => T | null): T | null {
  const client = useClient()
  const [value, setValue] = useState<T | null>(null)
  useEffect(() => {
    let alive = true
    void load(client).then((v) => alive && setValue(v))
    const off = client.on(event, (p) => {
      const v = pick(p)
      if (v !== null) setValue(v)
    })
    return () => {
      alive = false
      off()
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, event])
  return value
}
