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
      units: [{ target: 'pi@unit-1', deviceId: null, deviceName: null, outcome: 'pushed', method: 'full', bytesSent: 9, fileBytes: 9, base: null, previousVersion: null, servingVersion: '1', error: null }]
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
