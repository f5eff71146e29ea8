// The key EdgeDock pins for a unit, kept current: re-read when the inventory changes (a re-pin of an
// inventory unit announces itself that way) and when the caller asks (after its own re-pin).
import { useCallback, useEffect, useState } from 'react'
import type { MethodOutput } from '../../../../shared/contract'
import { useClient } from '../../client/client-context'

export type PinnedKey = MethodOutput<'hostKeys.get'>

/** `undefined` while loading, `null` when nothing is pinned (or there is no target to ask about). */
export function usePinnedKey(target: string | null): { pin: PinnedKey | undefined; reload: () => void } {
  const client = useClient()
  // Kept with the target it belongs to, so a new target never shows the previous one's key.
  const [loaded, setLoaded] = useState<{ target: string; pin: PinnedKey } | null>(null)
  const [tick, setTick] = useState(0)
  useEffect(() => {
    if (!target) return
    let alive = true
    const load = () =>
      client['hostKeys.get']({ target }).then(
        (pin) => alive && setLoaded({ target, pin }),
        () => alive && setLoaded({ target, pin: null })
      )
    void load()
    const off = client.on('devices.changed', () => void load())
    return () => {
      alive = false
      off()
    }
  }, [client, target, tick])
  const reload = useCallback(() => setTick((n) => n + 1), [])
  const pin = !target ? null : loaded?.target === target ? loaded.pin : undefined
  return { pin, reload }
}
