// The deploy jobs as the app runs them (JobRunner, history), on local units: progress in bytes with
// a total that drops units which need nothing, per-unit results and history entries, one unit's
// failure not stopping the others, the auto-rollback failing the job with a plain message, the
// rollback job walking back, and the runtime installed only where there is none.
import { createHash } from 'node:crypto'
import { readlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { modelInstaller } from '../../../../../src/main/core/deploy/model-installer'
import { ensureRuntime, startPushJob } from '../../../../../src/main/core/deploy/push-job'
import { startRollbackJob } from '../../../../../src/main/core/deploy/rollback-job'
import { previousVersion } from '../../../../../src/main/core/deploy/unit-models'
import type { Unit, UnitJobDeps } from '../../../../../src/main/core/deploy/unit-job'
import { JobRunner } from '../../../../../src/main/core/jobs/job-runner'
import type { RuntimeInstaller } from '../../../../../src/main/core/provision'
import { createJobsRepo } from '../../../../../src/main/store/jobs-repo'
import { migrate } from '../../../../../src/main/store/migrate'
import { migrations } from '../../../../../src/main/store/migrations'
import type { ModelPushResult, ModelRollbackResult } from '../../../../../src/shared/deploy'
import { EdgeError } from '../../../../../src/shared/errors'
import type { Job } from '../../../../../src/shared/domain'
import type { NewHistoryEntry } from '../../../../../src/main/store/history-repo'
import { tempDir } from '../../../../helpers/temp-dir'
import { localUnit, type LocalUnit } from './local-unit'
import { deviceLayout } from '../../../../../src/main/core/runtime'
import { judgeGates } from '../../../../../src/main/core/bench/gates'

interface Record_ {
  sha256: string
  name: string
  version: string
  sizeBytes: number
}

let files: ReturnType<typeof tempDir>
let units: LocalUnit[]
let history: NewHistoryEntry[]
let jobs: JobRunner
let updates: Job[]
let library: Map<string, Record_ & { file: string }>

function addModel(version: string, content: string | Buffer = `weights ${version}`): void {
  const file = path.join(files.dir, `m-${version}.onnx`)
  writeFileSync(file, content)
  library.set(`digits@${version}`, { sha256: createHash('sha256').update(content).digest('hex'), name: 'digits', version, sizeBytes: Buffer.byteLength(content), file })
}
const models = {
  get: (ref: string) => {
    const r = library.get(ref)
    if (!r) throw new Error(`no ${ref}`)
    return r as never
  },
  filePath: (sha: string) => [...library.values()].find((r) => r.sha256 === sha)?.file as string,
  fileIfPresent: (sha: string) => [...library.values()].find((r) => r.sha256 === sha)?.file ?? null
}
const fakeRuntime = (installed: string[]): RuntimeInstaller => ({ wanted: () => 'rt-2', installed: async () => null, install: async () => void installed.push('rt-2') })

function deps(): UnitJobDeps {
  return {
    jobs,
    devices: { resolve: () => { throw new Error('not in the inventory') } },
    history: { add: (e) => (history.push(e), history.length) },
    connect: async (t) => {
      const u = units[Number(t.host.replace('unit-', '')) - 1] as LocalUnit
      return u.shell
    }
  }
}
const unitsFor = (n: number): Unit[] => Array.from({ length: n }, (_, i) => ({ host: `unit-${i + 1}`, port: 22, user: 'pi', device: null, ref: `pi@unit-${i + 1}`, label: `pi@unit-${i + 1}` }))
const options = () => ({ wait: { pollMs: 0, sleep: async () => undefined }, loadTimeoutMs: 50, serviceTimeoutMs: 50, layout: (units[0] as LocalUnit).layout })

async function pushJob(n: number, ref: string) {
  const id = startPushJob({ ...deps(), models, runtimeFor: () => fakeRuntime([]), pushOptions: options() }, { units: unitsFor(n), ref, who: 'tester (cli)' })
  return jobs.wait(id)
}

beforeEach(async () => {
  files = tempDir('edgedock-jobs-')
  units = [await localUnit()]
  history = []
  updates = []
  library = new Map()
  const db = new Database(':memory:')
  migrate(db, migrations)
  jobs = new JobRunner(createJobsRepo(db), { updated: (j) => updates.push(j), log: () => undefined })
  for (const v of ['1', '2', '3']) addModel(v)
  addModel('9', 'BROKEN')
})
afterEach(async () => {
  for (const u of units) {
    await u.host.close()
    await u.cleanup()
  }
  files.cleanup()
})

describe('the push job', () => {
  it('reports bytes with rate and total, a result per unit and a history entry with model, version, sha256 and who', async () => {
    const job = await pushJob(1, 'digits@1')
    expect(job.state).toBe('succeeded')
    expect(job.unit).toBe('bytes')
    const sha = library.get('digits@1')?.sha256 ?? ''
    expect(job.result).toEqual({
      kind: 'models.push',
      model: { name: 'digits', version: '1', sha256: sha },
      units: [{ target: 'pi@unit-1', deviceId: null, deviceName: null, outcome: 'pushed', stage: null, durationMs: expect.any(Number), gate: null, method: 'full', bytesSent: 9, fileBytes: 9, base: null, previousVersion: null, servingVersion: '1', error: null }],
      rollout: null
    } satisfies ModelPushResult)
    expect(updates.some((u) => u.total === 9 && u.done === 9)).toBe(true)
    expect(history).toEqual([expect.objectContaining({ kind: 'model.pushed', deviceName: 'pi@unit-1', outcome: 'ok', summary: `Pushed digits 1 (sha256 ${sha}); sent 9 B of 9 B; serving it; by tester (cli)` })])
  })

  it('counts only the delta in the byte total when a version changes little, and says so in the result and the history', async () => {
    const weights = Buffer.from(Buffer.alloc(200_000).map((_, i) => (i * 2654435761) >>> 24))
    addModel('20', weights)
    addModel('21', Buffer.concat([weights.subarray(0, 190_000), Buffer.alloc(10_000, 1)]))
    await pushJob(1, 'digits@20')
    const job = await pushJob(1, 'digits@21')
    expect(job.state).toBe('succeeded')
    const unit = (job.result as ModelPushResult).units[0]
    expect(unit).toMatchObject({ outcome: 'pushed', method: 'delta', base: '20', fileBytes: 200_000 })
    expect(unit?.bytesSent).toBeLessThan(50_000)
    expect(job.total).toBe(unit?.bytesSent)
    expect(job.done).toBe(unit?.bytesSent)
    expect(history.at(-1)?.summary).toMatch(/; sent [\d.]+ K?B of 200 KB \(delta from 20\); serving it; by tester \(cli\)$/)
  })

  it('drops a unit that already has the version from the byte total', async () => {
    await pushJob(1, 'digits@1')
    const job = await pushJob(1, 'digits@1')
    expect(job.state).toBe('succeeded')
    expect(job.total).toBe(0)
    expect((job.result as ModelPushResult).units[0]).toMatchObject({ outcome: 'already-current', method: 'none', bytesSent: 0 })
  })

  it('fails with the rollback in plain words when the new model does not load, and records it', async () => {
    await pushJob(1, 'digits@1')
    const job = await pushJob(1, 'digits@9')
    expect(job.state).toBe('failed')
    expect(job.error?.code).toBe('MODEL_PUSH_ROLLED_BACK')
    expect(job.error?.message).toMatch(/^The new model did not start on the unit, so EdgeDock switched it back to the previous version, which is serving again: digits 9 on pi@unit-1: it did not load/)
    expect((job.result as ModelPushResult).units[0]).toMatchObject({ outcome: 'rolled-back', servingVersion: '1', previousVersion: '1' })
    expect(history.at(-1)).toMatchObject({ kind: 'model.pushed', outcome: 'failed', summary: expect.stringMatching(/^Push of digits 9 \(sha256 [0-9a-f]{64}\) rolled back: .*serving 1 again; by tester \(cli\)$/) })
    expect(path.basename(readlinkSync((units[0] as LocalUnit).layout.modelsCurrent))).toBe('1')
  })

  it('goes on with the other units when one fails, and names the failed one', async () => {
    const id = startPushJob(
      {
        ...deps(),
        connect: async (t) => {
          if (t.host === 'unit-2') throw new EdgeError('HOST_UNREACHABLE', 'unit-2:22')
          return (units[0] as LocalUnit).shell
        },
        models,
        runtimeFor: () => fakeRuntime([]),
        pushOptions: options()
      },
      { units: unitsFor(2), ref: 'digits@2', who: 't' }
    )
    const job = await jobs.wait(id)
    expect(job.state).toBe('failed')
    expect(job.error?.code).toBe('DEPLOY_UNITS_FAILED')
    expect(job.error?.message).toMatch(/^1 of 2 units failed \(pi@unit-2: Could not reach unit-2:22/)
    expect((job.result as ModelPushResult).units.map((u) => u.outcome)).toEqual(['pushed', 'failed'])
    expect(history.map((h) => h.outcome).sort()).toEqual(['failed', 'ok'])
  })
})

// n units with one layout (as real units all have /opt/edgedock), each in its own directory.
const shared = '/unit/edgedock'
async function sharedUnits(n: number): Promise<void> {
  for (const u of units.splice(0)) await Promise.all([u.host.close(), u.cleanup()])
  for (let i = 0; i < n; i++) units.push(await localUnit({ as: shared }))
}

describe('a staged rollout', () => {
  /** `canary`: indexes into the n units. */
  async function rollout(n: number, ref: string, plan: { canary: number[]; maxFail: number | null }, down: Set<string> = new Set(), concurrency = 4) {
    const contacted: string[] = []
    const all = unitsFor(n)
    const id = startPushJob(
      {
        ...deps(),
        connect: async (t) => {
          contacted.push(t.host)
          if (down.has(t.host)) throw new EdgeError('HOST_UNREACHABLE', `${t.host}:22`)
          return (units[Number(t.host.replace('unit-', '')) - 1] as LocalUnit).shell
        },
        models,
        runtimeFor: () => fakeRuntime([]),
        pushOptions: { ...options(), layout: deviceLayout(shared) }
      },
      { units: all, ref, who: 't', concurrency, rollout: { maxFail: plan.maxFail, canary: plan.canary.map((i) => all[i] as Unit) } }
    )
    return { job: await jobs.wait(id), contacted }
  }

  beforeEach(() => sharedUnits(3))

  it('stops before the rest when the canary does not come up, and says how to go on', async () => {
    await rollout(3, 'digits@1', { canary: [0], maxFail: 0 })
    const { job, contacted } = await rollout(3, 'digits@9', { canary: [0], maxFail: 0 })
    expect(contacted).toEqual(['unit-1'])
    expect(job.state).toBe('failed')
    // The units held back still serve what they served.
    for (const u of units.slice(1)) expect(readlinkSync(u.layout.modelsCurrent)).toBe('1')
    expect(job.error?.message).toMatch(/^Rollout stopped, the canary failed \(pi@unit-1\): 2 units not started; 1 of 3 units failed .*run the same push again/)
    const r = job.result as ModelPushResult
    expect(r.units.map((u) => [u.target, u.stage, u.outcome])).toEqual([
      ['pi@unit-1', 'canary', 'rolled-back'],
      ['pi@unit-2', 'rest', 'skipped'],
      ['pi@unit-3', 'rest', 'skipped']
    ])
    expect(r.rollout).toEqual({ canary: ['pi@unit-1'], maxFail: 0, stopped: { reason: 'canary', units: ['pi@unit-1'] } })
    expect(history.filter((h) => /not started: the rollout stopped: the canary failed/.test(h.summary))).toHaveLength(2)
    // Nothing was sent to the units held back.
    expect(job.total).toBe(job.done)
  })

  it('stops starting units once failures pass the limit; run again, the units already done are skipped', async () => {
    const first = await rollout(3, 'digits@2', { canary: [0], maxFail: 0 }, new Set(['unit-2']), 1)
    expect(first.contacted).toEqual(['unit-1', 'unit-2'])
    expect((first.job.result as ModelPushResult).units.map((u) => u.outcome)).toEqual(['pushed', 'failed', 'skipped'])
    expect((first.job.result as ModelPushResult).rollout?.stopped).toEqual({ reason: 'max-fail', failed: 1, allowed: 0 })
    expect(first.job.error?.message).toMatch(/^Rollout stopped, 1 unit failed, more than the 0 allowed: 1 unit not started; /)
    // The cable is back: the same rollout again finishes the job without pushing anything twice.
    const again = await rollout(3, 'digits@2', { canary: [0], maxFail: 0 })
    expect(again.job.state).toBe('succeeded')
    expect((again.job.result as ModelPushResult).units.map((u) => [u.outcome, u.bytesSent])).toEqual([['already-current', 0], ['pushed', 9], ['pushed', 9]])
  })
})

describe('a rollout with benchmark limits', () => {
  beforeEach(() => sharedUnits(2))
  const run = (p90: number, all = unitsFor(2)) =>
    startPushJob(
      {
        ...deps(),
        models,
        runtimeFor: () => fakeRuntime([]),
        pushOptions: { ...options(), layout: deviceLayout(shared) },
        // The agent's runner needs ONNX Runtime on the unit (the lab suite runs it); here the figures are given.
        benchServed: async (_run, o) => {
          const stats = { runs: 100, p50: p90, p90, p95: p90, p99: p90, p999: p90, mean: p90, std: 0.1, cv: 0.01, min: 1, max: p90, throughput: 1000 / p90, cpuPercent: 90, peakRssMb: 80, rssGrowthMb: 1, valid: true }
          return { stats, accuracy: null, verdict: judgeGates(stats, o.gates), summary: `p90 ${p90} ms over 100 runs` }
        }
      },
      { units: all, ref: 'digits@2', who: 't', rollout: { canary: [all[0] as Unit], maxFail: 0, gates: { p90Ms: 60 } } }
    )
  it('holds the rest back when the canary serves the model but is slower than the limit, and says by how much', async () => {
    const job = await jobs.wait(run(72))
    const r = job.result as ModelPushResult
    expect(job.error?.code).toBe('ROLLOUT_STOPPED')
    expect(r.units.map((u) => [u.stage, u.outcome])).toEqual([['canary', 'pushed'], ['rest', 'skipped']])
    expect(r.units[0]?.gate).toEqual({ summary: 'p90 72 ms over 100 runs', met: [], missed: [expect.stringMatching(/^p90 72\.0 ms is over the limit of 60\.0 ms by 12\.0 ms/)] })
    expect(r.units[0]?.error).toMatch(/pi@unit-1 serves digits 2 but misses the rollout's limits: p90 72\.0 ms is over the limit of 60\.0 ms by 12\.0 ms.*The canary keeps serving it/)
    expect(history.find((h) => h.deviceName === 'pi@unit-1')).toMatchObject({ outcome: 'failed', summary: expect.stringMatching(/serving it; benchmark p90 72 ms over 100 runs, misses p90 72\.0 ms is over the limit of 60\.0 ms by 12\.0 ms/) })
  })

  it('lets the rest go when the canary is within the limits', async () => {
    const job = await jobs.wait(run(41))
    expect(job.state).toBe('succeeded')
    const r = job.result as ModelPushResult
    expect(r.units.map((u) => [u.stage, u.outcome, u.gate?.missed.length ?? null])).toEqual([['canary', 'pushed', 0], ['rest', 'pushed', null]])
  })
})

describe('the rollback job', () => {
  it('walks back one version at a time, then says there is nothing earlier', async () => {
    for (const v of ['1', '2', '3']) await pushJob(1, `digits@${v}`)
    const rollback = async (version?: string) =>
      jobs.wait(startRollbackJob({ ...deps(), rollbackOptions: { wait: { pollMs: 0, sleep: async () => undefined }, loadTimeoutMs: 50, layout: (units[0] as LocalUnit).layout } }, { units: unitsFor(1), version, who: 'tester (cli)' }))
    const first = await rollback()
    expect(first.error).toBeNull()
    expect((first.result as ModelRollbackResult).units[0]).toMatchObject({ outcome: 'switched', fromVersion: '3', toVersion: '2' })
    expect(history.at(-1)).toMatchObject({ kind: 'model.rolled-back', outcome: 'ok', summary: expect.stringMatching(/^Rolled back from 3 to digits 2 \(sha256 [0-9a-f]{64}\); serving it; by tester \(cli\)$/) })
    expect((await rollback()).state).toBe('succeeded')
    const none = await rollback()
    expect(none.error?.code).toBe('MODEL_NO_EARLIER_VERSION')
    const named = await rollback('3')
    expect((named.result as ModelRollbackResult).units[0]).toMatchObject({ fromVersion: '1', toVersion: '3' })
    const missing = await rollback('7')
    expect(missing.error?.code).toBe('MODEL_VERSION_NOT_ON_UNIT')
    expect(missing.error?.message).toMatch(/Model version 7 \(on pi@unit-1: 3, 2, 1\) is not on the unit/)
  })

  it('picks the version pushed before the current one', () => {
    const v = [{ version: '3', time: 30 }, { version: '2', time: 20 }, { version: '1', time: 10 }]
    expect(previousVersion(v, '3')).toBe('2')
    expect(previousVersion(v, '1')).toBeNull()
    expect(previousVersion(v, null)).toBe('3')
  })
})

describe('the runtime a push needs', () => {
  it('is installed where there is none, and left alone where there is one', async () => {
    const installed: string[] = []
    const bare = await localUnit({ runtime: null })
    units.push(bare)
    const step = <T>(_n: unknown, fn: () => Promise<T>) => fn()
    await ensureRuntime(bare.shell, fakeRuntime(installed), new AbortController().signal, () => undefined, step, bare.layout)
    expect(installed).toEqual(['rt-2'])
    installed.length = 0
    await ensureRuntime((units[0] as LocalUnit).shell, fakeRuntime(installed), new AbortController().signal, () => undefined, step, (units[0] as LocalUnit).layout)
    expect(installed).toEqual([])
  })
})

describe("provisioning's model step port", () => {
  it('names the unit\'s model as name@version and pushes with the same checks', async () => {
    const u = units[0] as LocalUnit
    const port = modelInstaller(models, options())
    const signal = new AbortController().signal
    expect(await port.current(u.shell, signal)).toBeNull()
    await port.install(u.shell, 'digits@2', { signal, log: () => undefined })
    expect(await port.current(u.shell, signal)).toBe('digits@2')
    await expect(port.install(u.shell, 'digits@9', { signal, log: () => undefined })).rejects.toMatchObject({ code: 'MODEL_PUSH_ROLLED_BACK' })
    expect(await port.current(u.shell, signal)).toBe('digits@2')
  })
})
