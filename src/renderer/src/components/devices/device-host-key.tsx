// The device page's "SSH key changed" notice: the newest HOST_KEY_CHANGED seen for this unit (its
// model-status read, or any job that failed on it) while EdgeDock still pins the old key. Once shown
// it stays through the re-pin, so the page can say that the new key is trusted now.
import { useEffect, useState } from 'react'
import type { Device, Job } from '../../../../shared/domain'
import { useClient } from '../../client/client-context'
import { hostKeyChangeOf, sameChange, type HostKeyChange } from '../host-key/host-key-change'
import { HostKeyNotice } from '../host-key/host-key-notice'
import type { PinnedKey } from '../host-key/use-pinned-key'
import { asFleetResult, targetMatches } from '../provision/fleet-result'

/** Every error a job holds for this unit: its own, and its unit's in a provisioning result. */
type Unit = Pick<Device, 'name' | 'user' | 'host' | 'port'>
const jobErrors = (job: Job, d: Unit): unknown[] => [job.error, ...(asFleetResult(job.result)?.units.filter((u) => targetMatches(u.target, d)).map((u) => u.error) ?? [])]

function useJobChanges({ name, user, host, port }: Unit): HostKeyChange[] {
  const client = useClient()
  const [changes, setChanges] = useState<HostKeyChange[]>([])
  // Keyed on the address, not the device object: that is replaced on every inventory change.
  useEffect(() => {
    const unit = { name, user, host, port }
    const load = () =>
      void client['jobs.list']({ limit: 100, state: 'failed' }).then((jobs) =>
        setChanges(jobs.flatMap((j) => jobErrors(j, unit).flatMap((e) => hostKeyChangeOf(e) ?? [])).filter((c) => c.host === host && c.port === port))
      )
    load()
    return client.on('jobs.updated', (j) => j.state === 'failed' && load())
  }, [client, name, user, host, port])
  return changes
}

export function DeviceHostKey({ device, pin, statusError }: { device: Device; pin: PinnedKey | undefined; statusError: unknown }) {
  const fromJobs = useJobChanges(device)
  const fromStatus = hostKeyChangeOf(statusError)
  // The status read runs when the page opens, so it is the newest; then jobs, newest first.
  const latest = fromStatus ?? fromJobs[0] ?? null
  const open = latest !== null && pin?.fingerprint === latest.pinned.fingerprint
  const [shown, setShown] = useState<HostKeyChange | null>(null)
  // Adjusting state while rendering (React's pattern for "derived from a previous render").
  if (open && !(shown && sameChange(shown, latest))) setShown(latest)
  if (!shown) return null
  return (
    <section className="card hk-card" data-testid="device-host-key">
      <HostKeyNotice change={shown} target={device.id} />
    </section>
  )
}
