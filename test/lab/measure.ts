// Cold boot vs booted-snapshot restore, measured on this machine with two throw-away Pis (--net user).
import * as fs from 'node:fs'
import { join } from 'node:path'
import { PI_MODEL, serialFor, stateDir, USER_PORT_BASE } from './config'
import { bootUnit, ensureTemplate, killUnit, makeDisk, waitDead, writeTimings } from './full'
import { buildImage } from './image'
import type { UnitState } from './state'

function rssMiB(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Math.round(Number(m[1]) / 1024) : 0
  } catch {
    return 0
  }
}

export async function measureBoot(): Promise<{ coldMs: number; restoreMs: number; coldRssMiB: number; restoreRssMiB: number }> {
  const { info } = await buildImage('amd64')
  await ensureTemplate(info, 'user')
  const mk = (name: string, port: number): UnitState => ({
    name, kind: 'full', index: 0, arch: 'amd64', net: 'user', ip: '127.0.0.1', port, mac: 'dc:a6:32:fe:00:01', model: PI_MODEL,
    serial: serialFor(name), netns: null, dir: join(stateDir(), 'measure', name), powered: false, link: 'up'
  })
  const out = { coldMs: 0, restoreMs: 0, coldRssMiB: 0, restoreRssMiB: 0 }
  for (const [mode, port] of [['cold', USER_PORT_BASE + 1990], ['snapshot', USER_PORT_BASE + 1991]] as const) {
    const u = mk(`measure-${mode}`, port)
    fs.rmSync(u.dir, { recursive: true, force: true })
    fs.mkdirSync(u.dir, { recursive: true })
    try {
      makeDisk(u, info, mode)
      const ms = await bootUnit(u, info, mode)
      if (mode === 'cold') {
        out.coldMs = ms
        out.coldRssMiB = rssMiB(u.pid)
      } else {
        out.restoreMs = ms
        out.restoreRssMiB = rssMiB(u.pid)
      }
    } finally {
      const pid = u.pid
      killUnit(u)
      await waitDead(pid)
      fs.rmSync(u.dir, { recursive: true, force: true })
    }
  }
  writeTimings(info, {
    coldMs: out.coldMs, restoreMs: out.restoreMs, winner: out.restoreMs < out.coldMs ? 'snapshot' : 'cold',
    measured: { coldMs: out.coldMs, restoreMs: out.restoreMs, at: new Date().toISOString() }
  })
  return out
}
