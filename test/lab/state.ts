// The lab's state file (what it made, so `down`, faults and `list` can find it) and its lock.
import * as fs from 'node:fs'
import { join } from 'node:path'
import type { Arch, NetMode, UnitKind } from './config'
import { stateDir } from './config'
import { isAlive, sleep } from './util'

export interface Shape {
  rate?: string
  delay?: string
  loss?: string
}

export interface UnitState {
  name: string
  kind: UnitKind
  index: number
  arch: Arch
  net: NetMode
  ip: string
  port: number
  mac: string
  model: string
  serial: string
  /** namespace to run commands in to reach the unit (null: reachable from the host's loopback) */
  netns: string | null
  /** light units: the unit's own namespace */
  ownNetns?: string
  dir: string
  pid?: number
  powered: boolean
  link: 'up' | 'down'
  shape?: Shape
  console?: string
  consoleLog?: string
  qmp?: string
  qga?: string
  bootMs?: number
  bootMode?: 'cold' | 'snapshot' | 'light'
}

export interface LabState {
  version: 1
  bootId: string
  createdAt: string
  netns?: string
  dnsmasqPid?: number
  units: UnitState[]
}

export function bootId(): string {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
  } catch {
    return 'unknown'
  }
}

function statePath(): string {
  return join(stateDir(), 'state.json')
}

export function loadState(): LabState | undefined {
  try {
    return JSON.parse(fs.readFileSync(statePath(), 'utf8')) as LabState
  } catch {
    return undefined
  }
}

export function newState(): LabState {
  return { version: 1, bootId: bootId(), createdAt: new Date().toISOString(), units: [] }
}

export function saveState(s: LabState): void {
  fs.mkdirSync(stateDir(), { recursive: true })
  const tmp = `${statePath()}.${process.pid}.tmp`
  fs.writeFileSync(tmp, JSON.stringify(s, null, 2))
  fs.renameSync(tmp, statePath())
}

export function clearState(): void {
  fs.rmSync(statePath(), { force: true })
}

/** Serialise lab commands (a directory lock holding the owner's pid; a dead owner's lock is taken over). */
let lockDepth = 0
export async function withLock<T>(fn: () => Promise<T>, timeoutMs = 30 * 60_000): Promise<T> {
  if (lockDepth > 0) return fn()
  fs.mkdirSync(stateDir(), { recursive: true })
  const lock = join(stateDir(), 'lock')
  const t0 = Date.now()
  for (;;) {
    try {
      fs.mkdirSync(lock)
      fs.writeFileSync(join(lock, 'pid'), String(process.pid))
      break
    } catch {
      let owner = 0
      try {
        owner = Number(fs.readFileSync(join(lock, 'pid'), 'utf8'))
      } catch {
        /* being written */
      }
      if (owner && owner !== process.pid && !isAlive(owner)) {
        fs.rmSync(lock, { recursive: true, force: true })
        continue
      }
      if (Date.now() - t0 > timeoutMs) throw new Error(`lab is locked by pid ${owner}`)
      await sleep(250)
    }
  }
  lockDepth++
  try {
    return await fn()
  } finally {
    lockDepth--
    try {
      if (Number(fs.readFileSync(join(lock, 'pid'), 'utf8')) === process.pid) fs.rmSync(lock, { recursive: true, force: true })
    } catch {
      /* gone */
    }
  }
}
