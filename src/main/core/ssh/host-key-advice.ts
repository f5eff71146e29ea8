// What a technician reads in the job log when a unit's host key changed: both fingerprints, that
// nothing was sent or changed, and the exact re-pin action (CLI command, or the app's button).
import type { HostKeyChangedError } from './host-key-pinning'

/** `target` is how the user named the unit (device name or user@host[:port]). */
export function hostKeyChangedAdvice(err: HostKeyChangedError, target: string): string {
  const now = err.offered ? `the unit now offers ${err.offered.algorithm} ${err.offered.fingerprint}` : `the unit no longer offers a ${err.pinned.algorithm} key`
  const arg = /^[A-Za-z0-9@._:[\]-]+$/.test(target) ? target : JSON.stringify(target)
  const repin = err.offered
    ? ` and re-pin it: edgedock host-key repin ${arg} --fingerprint ${err.offered.fingerprint} (in the app: "Trust the new key")`
    : ''
  return (
    `The SSH host key of ${target} (${err.host}:${err.port}) changed: EdgeDock pinned ${err.pinned.algorithm} ${err.pinned.fingerprint}; ${now}. ` +
    'EdgeDock stopped before logging in (no password or key was sent) and changed nothing on the unit. ' +
    `If the unit was reflashed or its SSH keys regenerated, check the fingerprint on the unit (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub)${repin}. ` +
    'Otherwise another machine may be answering at this address: check the network.'
  )
}
