// Drives a technician may flash, from `lsblk --json`, with the machine's own disks marked so the
// Flash page can never offer them. Safety rule: when in doubt, a disk is a system disk.

import { commandJson } from './command-json'

export const LSBLK_COMMAND = [
  'lsblk', '--json', '-b', '-o', 'NAME,PATH,SIZE,MODEL,VENDOR,SERIAL,TRAN,RM,HOTPLUG,TYPE,MOUNTPOINTS,PKNAME'
] as const

export type SystemReason = 'holds-system-mount' | 'not-removable'

export interface BlockDrive {
  name: string
  path: string
  sizeBytes: number
  model: string | null
  vendor: string | null
  serial: string | null
  /** usb, sata, nvme, mmc, ... */
  transport: string | null
  removable: boolean
  hotplug: boolean
  /** every mountpoint on the disk and its partitions */
  mountpoints: string[]
  isSystem: boolean
  systemReasons: SystemReason[]
  /** false for system drives and empty readers: the Flash page greys them out */
  selectable: boolean
}

interface LsblkNode {
  name?: unknown
  path?: unknown
  size?: unknown
  model?: unknown
  vendor?: unknown
  serial?: unknown
  tran?: unknown
  rm?: unknown
  hotplug?: unknown
  type?: unknown
  mountpoints?: unknown
  mountpoint?: unknown
  pkname?: unknown
  children?: unknown
}

function str(v: unknown): string | null {
  if (typeof v !== 'string') return null
  const s = v.trim()
  return s === '' ? null : s
}

// util-linux < 2.37 prints "0"/"1" strings and string sizes; newer prints booleans and numbers.
function bool(v: unknown): boolean {
  return v === true || v === '1' || v === 1
}

function num(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN
  return Number.isFinite(n) ? n : null
}

function ownMountpoints(node: LsblkNode): string[] {
  const raw = Array.isArray(node.mountpoints) ? node.mountpoints : [node.mountpoint]
  return raw.filter((m): m is string => typeof m === 'string' && m !== '')
}

function isSystemMount(mountpoint: string): boolean {
  return (
    mountpoint === '/' ||
    mountpoint === '[SWAP]' ||
    mountpoint === '/boot' ||
    mountpoint.startsWith('/boot/') ||
    ['/usr', '/var', '/home', '/etc', '/opt', '/srv'].includes(mountpoint)
  )
}

function childrenOf(node: LsblkNode): LsblkNode[] {
  return Array.isArray(node.children) ? (node.children as LsblkNode[]) : []
}

function allMountpoints(node: LsblkNode): string[] {
  // Walks partitions and what sits on them (LUKS, LVM), so a root on crypt-on-partition counts.
  return [...ownMountpoints(node), ...childrenOf(node).flatMap(allMountpoints)]
}

/** `lsblk --list` output is flat with PKNAME; rebuild the tree so both forms read alike. */
function treeFromFlat(nodes: LsblkNode[]): LsblkNode[] {
  if (nodes.some((n) => Array.isArray(n.children)) || !nodes.some((n) => str(n.pkname) !== null)) return nodes
  const byName = new Map<string, LsblkNode & { children: LsblkNode[] }>()
  for (const n of nodes) byName.set(String(n.name), { ...n, children: [] })
  const roots: LsblkNode[] = []
  for (const n of byName.values()) {
    const parent = str(n.pkname) === null ? undefined : byName.get(str(n.pkname)!)
    if (parent) parent.children.push(n)
    else roots.push(n)
  }
  return roots
}

export function parseLsblkDrives(json: string): BlockDrive[] {
  const data = commandJson(json)
  const devices = (data as { blockdevices?: unknown })?.blockdevices
  if (!Array.isArray(devices)) return []
  const drives: BlockDrive[] = []
  for (const node of treeFromFlat(devices as LsblkNode[])) {
    // Loop devices (snaps), zram, optical drives and RAID members are never flash targets.
    if (str(node.type) !== 'disk') continue
    const name = str(node.name) ?? ''
    if (name.startsWith('zram')) continue
    const sizeBytes = num(node.size) ?? 0
    const removable = bool(node.rm)
    const hotplug = bool(node.hotplug)
    const mountpoints = allMountpoints(node)
    const systemReasons: SystemReason[] = []
    if (mountpoints.some(isSystemMount)) systemReasons.push('holds-system-mount')
    if (!removable && !hotplug) systemReasons.push('not-removable')
    const isSystem = systemReasons.length > 0
    drives.push({
      name,
      path: str(node.path) ?? `/dev/${name}`,
      sizeBytes,
      model: str(node.model),
      vendor: str(node.vendor),
      serial: str(node.serial),
      transport: str(node.tran),
      removable,
      hotplug,
      mountpoints,
      isSystem,
      systemReasons,
      // A card reader with no card in reports size 0: nothing to flash yet.
      selectable: !isSystem && sizeBytes > 0
    })
  }
  return drives
}
