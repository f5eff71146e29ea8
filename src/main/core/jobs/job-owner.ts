// Which process runs a job, and whether that process still exists. The desktop app, the station and
// the CLI share one database: a process may only call a job "interrupted" when its owner is gone,
// never because it started up while another process was working.
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import type { JobOwner } from '../../../shared/domain'

export type FrontEnd = JobOwner['label']

export interface OwnerRecord {
  label: FrontEnd
  host: string
  pid: number
  /** The kernel's start time of that pid (clock ticks since boot, Linux), so a reused pid is not taken for the owner. */
  startedAt: number | null
  /** Random per process: tells two runs apart even where pids and start times cannot. */
  instance: string
}

/** The owner refreshes its jobs' heartbeat this often and picks up cancel requests at the same time. */
export const HEARTBEAT_MS = 500
/** A heartbeat older than this means the owner is gone (or frozen), even if its pid looks alive. */
export const STALE_AFTER_MS = 30_000

/** Field 22 of /proc/PID/stat; null where there is no /proc (macOS, Windows) or no such process. */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[19])
    return Number.isFinite(ticks) ? ticks : null
  } catch {
    return null
  }
}

export function currentOwner(label: FrontEnd): OwnerRecord {
  return { label, host: os.hostname(), pid: process.pid, startedAt: processStartTicks(process.pid), instance: randomUUID() }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Whether the owner of a job may still be running it. On this host the pid (with its start time)
 * decides; on another host (a database on a shared folder) only the heartbeat can tell.
 */
export function ownerAlive(owner: OwnerRecord | null, heartbeatAt: number | null, now: number, self: OwnerRecord): boolean {
  if (!owner) return false // rows from before owners were recorded
  if (owner.instance === self.instance) return true
  if (heartbeatAt === null || now - heartbeatAt > STALE_AFTER_MS) return false
  if (owner.host !== self.host) return true
  if (!pidAlive(owner.pid)) return false
  if (owner.startedAt === null) return true
  const ticks = processStartTicks(owner.pid)
  return ticks === null || ticks === owner.startedAt
}
