// What a unit serves, read over SSH when the device page opens and after every push or rollback.
// A unit that cannot be read gives an error in plain words, never a blank panel.
import { useCallback, useEffect, useState } from 'react'
import type { DeviceModelStatus } from '../../../../shared/deploy'
import { useClient } from '../../client/client-context'

export type StatusState = { kind: 'loading' } | { kind: 'ok'; status: DeviceModelStatus } | { kind: 'error'; error: unknown } | { kind: 'no-address' }
export type ModelStatus = { state: StatusState; refresh: () => void }

/** `deviceId` null: the unit has no address now, so there is nothing to read. */
export function useModelStatus(deviceId: string | null): ModelStatus {
  const client = useClient()
  const [state, setState] = useState<StatusState>({ kind: 'loading' })
  const [tick, setTick] = useState(0)
  useEffect(() => {
    if (deviceId === null) return
    let alive = true
    setState({ kind: 'loading' })
    client['devices.modelStatus']({ target: deviceId }).then(
      (status) => alive && setState({ kind: 'ok', status }),
      (error: unknown) => alive && setState({ kind: 'error', error })
    )
    return () => {
      alive = false
    }
  }, [client, deviceId, tick])
  const refresh = useCallback(() => setTick((n) => n + 1), [])
  return { state: deviceId === null ? { kind: 'no-address' } : state, refresh }
}
