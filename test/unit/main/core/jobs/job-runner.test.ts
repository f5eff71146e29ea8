import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import type { Job, JobLogLine } from '../../../../../src/shared/domain'
import { EdgeError } from '../../../../../src/shared/errors'
import { readFileSync } from 'node:fs'
import { JobRunner } from '../../../../../src/main/core/jobs/job-runner'
import { currentOwner, STALE_AFTER_MS, type OwnerRecord } from '../../../../../src/main/core/jobs/job-owner'
import { migrate } from '../../../../../src/main/store/migrate'
import { migrations } from '../../../../../src/main/store/migrations'
import { createJobsRepo } from '../../../../../src/main/store/jobs-repo'

function setup(clock = { t: 1_000_000 }, now: () => number = () => clock.t, owner?: OwnerRecord) {
  const db = new Database(':memory:')
  migrate(db, migrations)
  const repo = createJobsRepo(db)
  const updates: Job[] = []
  const logs: JobLogLine[] = []
  const runner = new JobRunner(repo, { updated: (j) => updates.push(j), log: (l) => logs.push(l) }, { now, owner })
  return { db, repo, runner, updates, logs, clock }
}

// A pid that no process has: one past the kernel's limit.
const deadPid = () => Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8')) + 1
const otherProcess = (over: Partial<OwnerRecord> = {}): OwnerRecord => ({ ...currentOwner('station'), ...over })
const interrupted = { state: 'interrupted', error: { code: 'JOB_INTERRUPTED' } }

describe('JobRunner', () => {
  it('reports steps, percent, rate and ETA, and stores them with the log', async () => {
    const { runner, repo, updates, clock } = setup()
    const job = runner.start({ kind: 'copy', title: 'Copy 10 MB', unit: 'bytes' }, async (ctx) => {
      await ctx.step('Send the file', async () => {
        for (let i = 1; i <= 10; i++) {
          clock.t += 1000
          ctx.progress(i * 1_000_000, 10_000_000)
        }
      })
    })
    const done = await runner.wait(job.id)
    expect(done.state).toBe('succeeded')
    expect(done.percent).toBe(100)
    const mid = updates.find((u) => u.state === 'running' && u.percent === 50)
    expect(mid?.rate).toBeCloseTo(1_000_000, -3)
    expect(mid?.etaSeconds).toBeCloseTo(5, 0)
    const detail = repo.detail(job.id)
    expect(detail?.steps).toEqual([expect.objectContaining({ name: 'Send the file', state: 'succeeded' })])
    expect(detail?.log.map((l) => l.text)).toContain('▶ Send the file')
  })

  it('progress that comes right after a step starts still reaches the UI when nothing follows it for a while', async () => {
    const { runner, updates } = setup(undefined, Date.now)
    let release = () => {}
    const job = runner.start({ kind: 'copy', title: 'Upload a small model', unit: 'bytes' }, async (ctx) => {
      await ctx.step('Upload', async () => {
        ctx.progress(60_000, 155_000) // within the throttle window of the step's own update
        await new Promise<void>((r) => (release = r)) // then seconds on the wire, no news
      })
    })
    await expect.poll(() => updates.some((u) => u.finishedAt === null && u.done === 60_000 && u.total === 155_000), { timeout: 2000 }).toBe(true)
    release()
    expect((await runner.wait(job.id)).state).toBe('succeeded')
  })

  it('cancel stops the work and records the job as cancelled', async () => {
    const { runner, repo } = setup()
    let sawAbort = false
    const job = runner.start({ kind: 'wait', title: 'Wait forever' }, (ctx) =>
      ctx.step('Wait', () => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => ((sawAbort = true), reject(ctx.signal.reason)))))
    )
    runner.cancel(job.id)
    const done = await runner.wait(job.id)
    expect(sawAbort).toBe(true)
    expect(done.state).toBe('cancelled')
    expect(repo.detail(job.id)?.steps[0]?.state).toBe('cancelled')
  })

  it('a failing step fails the job with its code and a message a technician can read', async () => {
    const { runner } = setup()
    const job = runner.start({ kind: 'x', title: 'x' }, (ctx) =>
      ctx.step('Connect', async () => {
        throw new EdgeError('HOST_UNREACHABLE', '10.0.0.9:22')
      })
    )
    const done = await runner.wait(job.id)
    expect(done.state).toBe('failed')
    expect(done.error).toMatchObject({ code: 'HOST_UNREACHABLE', detail: '10.0.0.9:22' })
    expect(done.error?.message).toMatch(/Check the cable/)
  })

  it('never writes a registered secret to the log, even inside an error', async () => {
    const { runner, repo, logs } = setup()
    const job = runner.start({ kind: 'x', title: 'x' }, async (ctx) => {
      ctx.secret('hunter2')
      ctx.log('info', 'logging in with password hunter2')
      throw new Error('auth failed for hunter2')
    })
    const done = await runner.wait(job.id)
    const all = JSON.stringify({ done, logs, detail: repo.detail(job.id) })
    expect(all).not.toContain('hunter2')
    expect(all).toContain('***')
  })

  it('marks interrupted the jobs whose process is gone', () => {
    const first = setup(undefined, Date.now, otherProcess({ pid: deadPid() }))
    const job = first.runner.start({ kind: 'long', title: 'Long' }, () => new Promise(() => {}))
    first.runner.close()
    const second = new JobRunner(first.repo, { updated: () => {}, log: () => {} })
    expect(second.recoverInterrupted()).toBe(1)
    expect(first.repo.get(job.id)).toMatchObject(interrupted)
  })

  it("leaves another live process's job running and shows who owns it", () => {
    // Same pid and start time as this test process, another instance: a second EdgeDock that is alive.
    const first = setup(undefined, Date.now, otherProcess())
    const job = first.runner.start({ kind: 'long', title: 'Long' }, () => new Promise(() => {}))
    first.runner.close()
    const second = new JobRunner(first.repo, { updated: () => {}, log: () => {} })
    expect(second.recoverInterrupted()).toBe(0)
    expect(first.repo.get(job.id)).toMatchObject({ state: 'running', owner: { label: 'station', pid: process.pid } })
  })

  it('takes a reused pid (another start time) or a stale heartbeat for a dead owner', () => {
    const self = currentOwner('cli')
    const reused = setup(undefined, Date.now, otherProcess({ startedAt: (self.startedAt ?? 0) + 1 }))
    const a = reused.runner.start({ kind: 'long', title: 'A' }, () => new Promise(() => {}))
    reused.runner.close()
    expect(new JobRunner(reused.repo, { updated: () => {}, log: () => {} }).recoverInterrupted()).toBe(1)
    expect(reused.repo.get(a.id)).toMatchObject(interrupted)

    const clock = { t: Date.now() }
    const frozen = setup(clock, () => clock.t, otherProcess())
    const b = frozen.runner.start({ kind: 'long', title: 'B' }, () => new Promise(() => {}))
    frozen.runner.close()
    const later = new JobRunner(frozen.repo, { updated: () => {}, log: () => {} }, { now: () => Date.now() + STALE_AFTER_MS + 1 })
    expect(later.recoverInterrupted()).toBe(1)
    expect(frozen.repo.get(b.id)).toMatchObject(interrupted)
  })

  it("cancels another process's job through the database within a second, and never marks it done itself", async () => {
    const owner = setup(undefined, Date.now, otherProcess())
    const job = owner.runner.start({ kind: 'long', title: 'Long' }, (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason))))
    const other = new JobRunner(owner.repo, { updated: () => {}, log: () => {} })
    const asked = other.cancel(job.id)
    expect(asked).toMatchObject({ state: 'running', owner: { label: 'station' } })
    expect(asked.cancelRequestedAt).not.toBeNull()
    const t0 = Date.now()
    const done = await owner.runner.wait(job.id)
    expect(done.state).toBe('cancelled')
    expect(Date.now() - t0).toBeLessThan(1000)
    owner.runner.close()
  })
})
