// Two real EdgeDock processes on one database: a CLI installing the runtime on a lab Pi (inside the
// lab's namespace), and a second CLI listing jobs. The second must see the first's job running, with
// its owner, and not call it interrupted; after it ends, succeeded; after its process is killed with
// SIGKILL, the next start marks it interrupted; `edgedock jobs cancel` from the second reaches the first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Job } from '../../../src/shared/domain'
import { tempDir } from '../../helpers/temp-dir'
import * as lab from '../../lab'
import { labSkipReason, releaseLab, useLab } from '../../lab/vitest'
import { edgedock, PW_ENV, prepareDataDir, removeEdgeDock, startInLab, type Running } from '../deploy/deploy-lab'

const skip = labSkipReason({ full: 1, net: 'ns' })
if (skip) console.warn(`[lab] job owners suite skipped: ${skip}`)

describe.skipIf(skip)(`jobs shared by two processes${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let target = ''
  let name = ''
  const data = tempDir('edgedock-job-owners-')

  const jobs = async (): Promise<Job[]> => {
    const r = await edgedock(data.dir, ['--json', 'jobs'])
    expect(r.code, r.stderr).toBe(0)
    return JSON.parse(r.stdout) as Job[]
  }
  const install = (): Running => startInLab(data.dir, ['runtime', 'install', target, '--password-env', PW_ENV])
  /** Lists jobs from a second process until the install shows as running. */
  const whenRunning = async (run: Running): Promise<Job> => {
    for (const until = Date.now() + 90_000; Date.now() < until; ) {
      const job = (await jobs()).find((j) => j.kind === 'runtime.install' && j.state === 'running')
      if (job) return job
      await new Promise((r) => setTimeout(r, 300))
    }
    throw new Error(`the install never showed as running:\n${run.stderr().slice(-2000)}`)
  }

  beforeAll(async () => {
    const pi = (await useLab({ full: 1, net: 'ns' })).find((u) => u.kind === 'full') as lab.InventoryEntry
    name = pi.name
    target = `${pi.user}@${pi.ip}${pi.port === 22 ? '' : `:${pi.port}`}`
    await prepareDataDir(data.dir)
  })
  afterAll(async () => {
    await removeEdgeDock(name)
    data.cleanup()
    await releaseLab()
  })

  it("shows another process's job running with its owner, then succeeded", async () => {
    expect((await removeEdgeDock(name)).code).toBe(0)
    const run = install()
    const running = await whenRunning(run)
    expect(running.owner).toMatchObject({ label: 'cli', alive: true })
    // A few more starts of another process (each runs start-up recovery) leave it running.
    for (let i = 0; i < 3; i++) expect((await jobs()).find((j) => j.id === running.id)?.state).toBe('running')
    expect(await run.exited, run.stderr()).toBe(0)
    expect((await jobs()).find((j) => j.id === running.id)).toMatchObject({ state: 'succeeded' })
  }, 300_000)

  it("cancels another process's job from a second CLI, by the first characters of its id", async () => {
    expect((await removeEdgeDock(name)).code).toBe(0)
    const run = install()
    const running = await whenRunning(run)
    const r = await edgedock(data.dir, ['jobs', 'cancel', running.id.slice(0, 8)])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^Cancelled Install the EdgeDock runtime/)
    expect(await run.exited).not.toBe(0)
    expect((await jobs()).find((j) => j.id === running.id)).toMatchObject({ state: 'cancelled' })
  }, 300_000)

  it('marks the job of a killed process interrupted at the next start, and only then', async () => {
    expect((await removeEdgeDock(name)).code).toBe(0)
    const run = install()
    const running = await whenRunning(run)
    // The owner's own pid (the lab wrapper may be a parent of it): the process that holds the job.
    process.kill(running.owner?.pid as number, 'SIGKILL')
    await run.exited
    const after = (await jobs()).find((j) => j.id === running.id)
    expect(after).toMatchObject({ state: 'interrupted', error: { code: 'JOB_INTERRUPTED' } })
  }, 300_000)
})
