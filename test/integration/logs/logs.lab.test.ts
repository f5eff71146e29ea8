// A unit's journal streamed into EdgeDock across cut cables and a killed EdgeDock, on a lab Pi:
// the Pi logs 5,000 numbered lines with `logger` while the lab pulls its cable ten times (some cuts
// long enough for SSH to give the link up, some short enough for TCP to survive), and halfway the
// ingesting process (`edgedock logs --follow`, in the lab's namespace like a technician's laptop)
// is killed with SIGKILL and started again. Every number must be stored exactly once.
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cmd } from '../../../src/main/core/ssh/remote-command'
import { projectRoot } from '../../helpers/run-cli'
import { tempDir } from '../../helpers/temp-dir'
import * as lab from '../../lab'
import { labSkipReason, releaseLab, useLab } from '../../lab/vitest'
import { edgedock, edgedockInLab, PW_ENV, removeEdgeDock, startInLab, type Running } from '../deploy/deploy-lab'

const skip = labSkipReason({ full: 1, net: 'ns' })
if (skip) console.warn(`[lab] logs suite skipped: ${skip}`)

const NAME = 'door-logs'
const LINES = 5000
// A tag of this run's own: a unit kept up between runs still holds the lines of earlier ones.
const TAG = `edgedock-soak-${process.pid}`
const keyOnly = path.join(projectRoot, 'test/integration/provision/profiles/key-only.yaml')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe.skipIf(skip)(`logs from a lab Pi${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let pi: lab.InventoryEntry
  const data = tempDir('edgedock-logs-lab-')
  let follower: Running | undefined

  /** The numbers of the soak lines stored so far, in storage order (duplicates kept). */
  const storedNumbers = (): number[] => {
    const db = new Database(path.join(data.dir, 'edgedock.db'), { readonly: true })
    try {
      const rows = db.prepare('SELECT message FROM log_lines WHERE message LIKE ? ORDER BY id').all(`${TAG} n=%`) as { message: string }[]
      return rows.map((r) => Number(/n=(\d+)$/.exec(r.message)?.[1]))
    } finally {
      db.close()
    }
  }
  const follow = () => startInLab(data.dir, ['logs', NAME, '--follow', '--limit', '1'])

  beforeAll(async () => {
    pi = (await useLab({ full: 1, net: 'ns' })).find((u) => u.kind === 'full') as lab.InventoryEntry
    expect((await edgedock(data.dir, ['devices', 'add', `${pi.user}@${pi.ip}`, '--name', NAME])).code).toBe(0)
    // First contact by password pins the host key and installs EdgeDock's key: the stream logs in with it.
    const first = await edgedockInLab(data.dir, ['provision', NAME, '--profile', keyOnly, '--password-env', PW_ENV])
    expect(first.code, first.stderr.slice(-2000)).toBe(0)
  }, 600_000)

  afterAll(async () => {
    follower?.child.kill('SIGKILL')
    if (pi) {
      await lab.link(pi.name, 'up').catch(() => undefined)
      await removeEdgeDock(pi.name, { keys: true }).catch(() => undefined)
    }
    await releaseLab()
    data.cleanup()
  }, 300_000)

  it('5,000 numbered lines across ten cable cuts and a SIGKILL of EdgeDock: each stored once', async () => {
    follower = follow()
    await follower.waitFor(/: live\]/, 60_000)
    // The writer runs on the unit on its own (setsid: a dropped SSH session does not take it
    // down): 100 lines a second for about 50 s, one `logger` per 100 (it logs each line of its
    // input), so lines are written while the cable is out.
    const writer = `for b in $(seq 0 $((${LINES} / 100 - 1))); do seq $((b * 100 + 1)) $((b * 100 + 100)) | sed 's/^/${TAG} n=/' | logger -t ${TAG}; sleep 1; done`
    const started = await lab.sshExec(pi.name, [cmd(['setsid', '-f', 'sh', '-c', writer]).line, '>/dev/null', '2>&1', '</dev/null'])
    expect(started.code).toBe(0)

    for (let cut = 1; cut <= 10; cut++) {
      await sleep(2000)
      await lab.link(pi.name, 'down')
      // Odd cuts outlast the stream's keepalive (the session is given up and opened again);
      // even ones are short enough for the TCP connection to survive.
      await sleep(cut % 2 === 1 ? 9000 : 1500)
      await lab.link(pi.name, 'up')
      if (cut === 5) {
        // EdgeDock killed without warning, mid-stream; the database it leaves must be whole.
        follower.child.kill('SIGKILL')
        await follower.exited
        const db = new Database(path.join(data.dir, 'edgedock.db'))
        try {
          expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
        } finally {
          db.close()
        }
        follower = follow()
        await follower.waitFor(/: live\]/, 60_000)
      }
    }

    try {
      await expect.poll(() => storedNumbers().length, { timeout: 180_000, interval: 2000 }).toBeGreaterThanOrEqual(LINES)
    } catch (e) {
      // What the unit itself holds, and what the stream said, to tell a lost line from a stuck stream.
      const onUnit = await lab.sshExec(pi.name, [cmd(['sh', '-c', `journalctl -t ${TAG} -o cat | wc -l; pgrep -fa 'seq 1 ${LINES}' | head -3`]).line])
      console.error(`unit: ${onUnit.stdout.trim()}\nstream: ${follower.stderr().slice(-3000)}`)
      throw e
    }
    await sleep(3000)
    const got = storedNumbers()
    const counts = new Map<number, number>()
    for (const n of got) counts.set(n, (counts.get(n) ?? 0) + 1)
    const twice = [...counts].filter(([, c]) => c > 1).map(([n]) => n)
    const missing = Array.from({ length: LINES }, (_, i) => i + 1).filter((n) => !counts.has(n))
    expect({ twice: twice.slice(0, 20), missing: missing.slice(0, 20), stored: got.length }).toEqual({ twice: [], missing: [], stored: LINES })
    // The stream reported the lost link and came back by itself.
    expect(follower.stderr()).toMatch(/: reconnecting/)
    follower.child.kill('SIGINT')
    expect(await follower.exited).toBe(0)
  }, 600_000)
})
