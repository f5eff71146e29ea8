// Models on a lab Pi with no route to the internet, through the real CLI run inside
// the lab's namespace: push the digits model (runtime installed on the way) and infer; a second push
// sends nothing, nor does a push of the same file under a new version; a head-only change sends only
// what changed, and a damaged base on the unit makes it send the whole file; a model ONNX Runtime
// refuses is rolled back by itself; power cut at several points of a push (a delta's apply among
// them) never leaves the service serving a broken model, and the next push succeeds; a model
// quantized to INT8 here answers on the Pi as it does on this computer.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import * as ort from 'onnxruntime-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../../src/main/app/create-app'
import type { DeviceModelStatus, ModelPushResult } from '../../../src/shared/deploy'
import type { HistoryEntry, Job } from '../../../src/shared/domain'
import { cmd } from '../../../src/main/core/ssh/remote-command'
import { projectRoot } from '../../helpers/run-cli'
import { tempDir } from '../../helpers/temp-dir'
import * as lab from '../../lab'
import { labSkipReason, releaseLab, useLab } from '../../lab/vitest'
import { run } from '../provision/lab-channel'
import { brokenDigits, digitsFile, digitsHeadChanged, digitsVariant, edgedock, edgedockInLab, PW_ENV, prepareDataDir, removeEdgeDock, startInLab } from './deploy-lab'

const skip = labSkipReason({ full: 1, light: 2, net: 'ns' })
if (skip) console.warn(`[lab] deploy suite skipped: ${skip}`)

const samples = JSON.parse(readFileSync(path.join(projectRoot, 'resources/models/digits_samples_100.json'), 'utf8')) as { inputs: number[][]; labels: number[] }

describe.skipIf(skip)(`models on a lab Pi${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let pi: lab.InventoryEntry
  let target = ''
  let others: string[] = []
  const data = tempDir('edgedock-deploy-lab-')
  const t0 = Date.now()
  const took = (what: string, since: number) => console.log(`[deploy lab] ${what}: ${((Date.now() - since) / 1000).toFixed(1)} s`)

  const push = async (ref: string, ...more: string[]) => {
    const r = await edgedockInLab(data.dir, ['--json', 'push', target, ref, ...more, '--password-env', PW_ENV])
    const out = JSON.parse(r.stdout || '{}') as { job?: Pick<Job, 'state' | 'error'>; result?: ModelPushResult }
    return { code: r.code, stderr: r.stderr, job: out.job, result: out.result, unit: out.result?.units[0] }
  }
  const status = async (): Promise<DeviceModelStatus> => {
    const r = await edgedockInLab(data.dir, ['--json', 'devices', 'model-status', target, '--password-env', PW_ENV])
    expect(r.code, r.stderr).toBe(0)
    return JSON.parse(r.stdout) as DeviceModelStatus
  }
  /** After a boot the service takes a few seconds to answer: wait on it from the lab LAN (cheap), then read the status. */
  const statusWhenServing = async (limitMs = 180_000): Promise<DeviceModelStatus> => {
    const until = Date.now() + limitMs
    while (Date.now() < until) {
      const r = await run(lab.inLabArgv(['curl', '-sS', '--max-time', '5', `http://${pi.ip}:8080/health`]), undefined, 10_000)
      if (r.code === 0 && /"model":\{/.test(r.stdout)) break
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
    return status()
  }
  /** POST /infer from the lab LAN (the test's own check; EdgeDock itself reads health over SSH). */
  const infer = async (i: number) => {
    const body = JSON.stringify({ input: samples.inputs[i], dims: [1, 1, 8, 8] })
    const r = await run(lab.inLabArgv(['curl', '-sS', '--max-time', '20', '-H', 'content-type: application/json', '--data-binary', '@-', `http://${pi.ip}:8080/infer`]), body, 30_000)
    expect(r.code, r.stderr).toBe(0)
    return JSON.parse(r.stdout) as { argmax: number[]; model: { version: string } }
  }

  beforeAll(async () => {
    const all = await useLab({ full: 1, light: 2, net: 'ns' })
    pi = all.find((u) => u.kind === 'full') as lab.InventoryEntry
    // Two more units for a rollout (light Pis: real SSH hosts on the lab LAN, cheap to have).
    others = all.filter((u) => u.kind === 'light').slice(0, 2).map((u) => `${u.user}@${u.ip}${u.port === 22 ? '' : `:${u.port}`}`)
    target = `${pi.user}@${pi.ip}${pi.port === 22 ? '' : `:${pi.port}`}`
    // A unit with no EdgeDock on it, whatever an earlier suite or run left (quicker than a reset).
    const clean = await removeEdgeDock(pi.name)
    expect(clean.code, clean.stderr).toBe(0)
    await prepareDataDir(data.dir)
    const imports: [string, string][] = [
      [digitsFile, '1'],
      [digitsVariant(data.dir, 2), '2'],
      [brokenDigits(data.dir), '3'],
      [digitsVariant(data.dir, 4), '4'],
      [digitsVariant(data.dir, 5), '5'],
      [digitsHeadChanged(data.dir, 7), '7'],
      [digitsHeadChanged(data.dir, 8), '8'],
      [digitsVariant(data.dir, 9), '9']
    ]
    // In this process (the CLI's own import is covered elsewhere): six tsx start-ups cost ~40 s on a busy machine.
    const app = createApp({ dataDir: data.dir })
    try {
      for (const [file, version] of imports) await app.services.models.import(file, { name: 'digits', version })
    } finally {
      app.close()
    }
    took('set-up (lab, bundle, imports)', t0)
  }, 900_000)

  afterAll(async () => {
    if (pi) await lab.shape(pi.name, undefined).catch(() => undefined)
    // Later suites (provisioning) expect a unit without EdgeDock, as a fresh one.
    if (pi) await removeEdgeDock(pi.name).catch(() => undefined)
    await releaseLab()
    data.cleanup()
    took('whole suite', t0)
  }, 300_000)

  it('pushes the digits model (installing the runtime on the way): /infer gives the labelled class, /health the version and sha256; history has it; a second push sends nothing', async () => {
    const t = Date.now()
    const first = await push('digits@1')
    expect(first.code, first.stderr).toBe(0)
    expect(first.unit).toMatchObject({ outcome: 'pushed', servingVersion: '1', method: 'full', bytesSent: 154_979, fileBytes: 154_979, previousVersion: null })
    took('first push incl. runtime install', t)

    const s = await status()
    const sha = first.result?.model.sha256
    expect(sha).toMatch(/^[0-9a-f]{64}$/)
    expect(s.runtimeVersion).toMatch(/^node22\./)
    expect(s.current).toEqual({ name: 'digits', version: '1', sha256: sha })
    expect(s.health).toMatchObject({ status: 'ok', model: { name: 'digits', version: '1', sha256: sha }, currentTarget: '1' })

    for (const i of [0, 1, 2]) {
      const answer = await infer(i)
      expect(answer.argmax, `sample ${i}`).toEqual([samples.labels[i]])
      expect(answer.model.version).toBe('1')
    }

    const history = JSON.parse((await edgedock(data.dir, ['--json', 'history'])).stdout) as HistoryEntry[]
    expect(history.find((h) => h.kind === 'model.pushed')).toMatchObject({ deviceName: target, outcome: 'ok', summary: expect.stringContaining(`digits 1 (sha256 ${sha})`) })

    const t2 = Date.now()
    const again = await push('digits@1')
    expect(again.code, again.stderr).toBe(0)
    expect(again.unit).toMatchObject({ outcome: 'already-current', method: 'none', bytesSent: 0, servingVersion: '1' })
    took('second push of the same version', t2)
  }, 900_000)

  it('makes a new version from a file the unit already holds under another version: nothing sent, and it serves', async () => {
    const r = await push('digits@1', '--version', '1-site')
    expect(r.code, r.stderr).toBe(0)
    expect(r.unit).toMatchObject({ outcome: 'pushed', method: 'reuse', bytesSent: 0, base: '1', previousVersion: '1', servingVersion: '1-site' })
    const answer = await infer(0)
    expect(answer.argmax).toEqual([samples.labels[0]])
    expect(answer.model.version).toBe('1-site')
    const history = JSON.parse((await edgedock(data.dir, ['--json', 'history', '--limit', '5'])).stdout) as HistoryEntry[]
    expect(history.find((h) => h.kind === 'model.pushed')?.summary).toMatch(/^Pushed digits 1-site .*; nothing sent: made from the identical file of 1 on the unit; serving it/)
    // Back to 1 (on the unit already: a switch only), as the next test expects.
    expect((await push('digits@1')).unit).toMatchObject({ outcome: 'pushed', method: 'none', bytesSent: 0, servingVersion: '1' })
  }, 300_000)

  it('sends only what changed for a head-only change (under 5% of the file); a damaged base on the unit makes it send the whole file; both serve', async () => {
    const head = await push('digits@7')
    expect(head.code, head.stderr).toBe(0)
    expect(head.unit).toMatchObject({ outcome: 'pushed', method: 'delta', base: '1', fileBytes: 154_979, servingVersion: '7' })
    console.log(`[deploy lab] head-only change: sent ${head.unit?.bytesSent} of ${head.unit?.fileBytes} bytes`)
    expect(head.unit?.bytesSent).toBeLessThanOrEqual(0.05 * 154_979)
    expect((await infer(0)).model.version).toBe('7')
    const history = JSON.parse((await edgedock(data.dir, ['--json', 'history', '--limit', '5'])).stdout) as HistoryEntry[]
    expect(history.find((h) => h.kind === 'model.pushed')?.summary).toMatch(/^Pushed digits 7 .*; sent [\d.]+ KB of 155 KB \(delta from 1\); serving it/)

    // One flipped byte in the file 7 on the card (the service keeps what it loaded).
    const flip = cmd(['sudo', 'sh', '-c', 'printf "\\377" | dd of="$1" bs=1 seek=4096 conv=notrunc status=none', 'sh', '/opt/edgedock/models/7/model.onnx'])
    const flipped = await lab.sshExec(pi.name, [flip.line])
    expect(flipped.code, flipped.stderr).toBe(0)
    const next = await push('digits@8')
    expect(next.code, next.stderr).toBe(0)
    expect(next.unit).toMatchObject({ outcome: 'pushed', method: 'full', bytesSent: 154_979, servingVersion: '8' })
    expect((await infer(0)).model.version).toBe('8')
    // Back to 1, as the next tests expect: nothing sent (1 itself, or 1-site if pruning took 1).
    expect((await push('digits@1')).unit).toMatchObject({ outcome: 'pushed', bytesSent: 0, servingVersion: '1' })
  }, 300_000)

  it('rolls a model ONNX Runtime refuses back by itself: the unit keeps serving the previous version and the job says so', async () => {
    const r = await push('digits@3')
    expect(r.code).toBe(1)
    expect(r.job?.error?.code).toBe('MODEL_PUSH_ROLLED_BACK')
    expect(r.job?.error?.message).toMatch(/switched it back to the previous version.*digits 3 .*did not load.*serving 1 again/s)
    expect(r.unit).toMatchObject({ outcome: 'rolled-back', servingVersion: '1', previousVersion: '1' })
    const s = await status()
    expect(s.current?.version).toBe('1')
    expect(s.health).toMatchObject({ status: 'ok', model: { version: '1' }, currentTarget: '1', lastLoadError: null })
    expect(s.versions.map((v) => v.version)).not.toContain('3')
    expect((await infer(0)).argmax).toEqual([samples.labels[0]])
    const history = JSON.parse((await edgedock(data.dir, ['--json', 'history', '--limit', '5'])).stdout) as HistoryEntry[]
    expect(history.find((h) => h.kind === 'model.pushed')).toMatchObject({ outcome: 'failed', summary: expect.stringMatching(/Push of digits 3 .* rolled back/) })
  }, 300_000)

  it('a 3-unit rollout whose canary does not come up, or serves but misses its benchmark limit, stops before the other two, which are never contacted', async () => {
    /** The job's steps: a unit the rollout started has at least its "Connect" step there. */
    const stepsOf = (jobId: string) => {
      const app = createApp({ dataDir: data.dir })
      try {
        return app.services.store.jobs.detail(jobId)?.steps.map((st) => st.name) ?? []
      } finally {
        app.close()
      }
    }
    const r = await edgedockInLab(data.dir, ['--json', 'push', target, ...others, 'digits@3', '--canary', target, '--password-env', PW_ENV])
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout) as { job: Pick<Job, 'id' | 'state' | 'error'>; result: ModelPushResult }
    expect(out.job.error?.message).toMatch(/^Rollout stopped, the canary failed .*: 2 units not started; /)
    expect(out.result.units.map((u) => [u.target, u.stage, u.outcome])).toEqual([
      [target, 'canary', 'rolled-back'],
      [others[0], 'rest', 'skipped'],
      [others[1], 'rest', 'skipped']
    ])
    expect(out.result.rollout).toEqual({ canary: [target], maxFail: 0, stopped: { reason: 'canary', units: [target] } })
    const steps = stepsOf(out.job.id)
    expect(steps.some((name) => name.includes(target))).toBe(true)
    for (const other of others) expect(steps.filter((name) => name.includes(other.split('@')[1] as string))).toEqual([])
    expect((await status()).health).toMatchObject({ status: 'ok', model: { version: '1' } })

    // A canary that serves the model but misses a benchmark limit (measured on the unit by the agent)
    // holds the rest back too; the plain report says which limit, by how much, and how to go on.
    const text = await edgedockInLab(data.dir, ['push', target, ...others, 'digits@1', '--canary', '1', '--gate', 'p90=0.001', '--password-env', PW_ENV])
    expect(text.code).toBe(1)
    expect(text.stdout).toMatch(new RegExp(`^${target}: \\[canary\\] already serving 1; nothing sent\\n  benchmark p50 [\\d.]+ ms, p90 [\\d.]+ ms over \\d+ runs, peak RSS \\d+ MB: MISSES p90 [\\d.]+ ms is over the limit of 0\\.00 ms`, 'm'))
    expect(text.stdout).toMatch(new RegExp(`^${others[0]}: not started: the rollout stopped: the canary failed \\(${target}\\)`, 'm'))
    expect(text.stdout).toMatch(/^Rollout stopped: the canary failed .*run the same push again: units already serving 1 are skipped\.$/m)
    expect((await status()).health).toMatchObject({ status: 'ok', model: { version: '1' } })
  }, 600_000)

  // Where the cut lands: the job log line that starts a phase, and how slow the link is meanwhile
  // (a slower link makes the window around that line wide enough to hit). The move and the switch
  // are one command on the unit; a cut between them (a complete version, `current` not moved) is
  // the push-to-unit unit test's "only switched to" case.
  const cuts = [
    { at: 'during the upload', version: '4', more: ['--no-delta'], wait: /Upload digits 4 \(/, delayMs: 1500, shape: { rate: '200kbit' } },
    { at: 'while a delta is sent and applied', version: '5', more: [], wait: /▶ Send only what changed from 4 to 5/, delayMs: 400, shape: { delay: '150ms' } },
    { at: 'right after the switch', version: '9', more: [], wait: /▶ Check that 9 serves/, delayMs: 0, shape: { delay: '150ms' } }
  ]
  it('after a power cut at several points of a push, the unit serves the old or the new version, never a broken one; the next push succeeds', async () => {
    let old = '1'
    for (const cut of cuts) {
      const t = Date.now()
      await lab.shape(pi.name, cut.shape)
      const running = startInLab(data.dir, ['push', target, `digits@${cut.version}`, ...cut.more, '--password-env', PW_ENV])
      await running.waitFor(cut.wait, 240_000)
      if (cut.delayMs) await new Promise((r) => setTimeout(r, cut.delayMs))
      const logAtCut = running.stderr()
      await lab.powerCut(pi.name)
      running.child.kill('SIGTERM')
      await running.exited
      await lab.powerOn(pi.name)
      await lab.shape(pi.name, undefined)
      const s = await statusWhenServing()
      const served = s.health?.model?.version
      console.log(`[deploy lab] power cut ${cut.at}: after boot serving ${served} (current -> ${s.current?.version}); last job line before the cut: ${logAtCut.trim().split('\n').pop()}`)
      expect([old, cut.version], `${cut.at}: ${JSON.stringify(s)}`).toContain(served)
      expect(s.health).toMatchObject({ status: 'ok', currentTarget: served, lastLoadError: null })
      expect(s.current?.version).toBe(served)
      expect((await infer(0)).argmax).toEqual([samples.labels[0]])

      const next = await push(`digits@${cut.version}`)
      expect(next.code, next.stderr).toBe(0)
      expect(next.unit?.servingVersion).toBe(cut.version)
      old = cut.version
      took(`power cut ${cut.at}, boot, next push`, t)
    }
  }, 1_200_000)

  it('a model quantized to INT8 here serves on the Pi with the same top-1 as on this computer', async () => {
    const t = Date.now()
    // Static INT8, calibrated on the shipped samples, made by the CLI as a bench engineer would.
    const made = await edgedock(data.dir, ['--json', 'models', 'quantize', 'digits@1', '--method', 'static', '--calibration', path.join(projectRoot, 'resources/models/digits_samples_100.json'), '--version', 'int8'])
    expect(made.code, made.stderr).toBe(0)
    const q = JSON.parse(made.stdout) as { model: { ref: string; sha256: string }; sizeRatio: number }
    expect(q.model.ref).toBe('digits@int8')
    expect(q.sizeRatio).toBeLessThanOrEqual(0.3)
    const pushed = await push('digits@int8')
    expect(pushed.code, pushed.stderr).toBe(0)
    expect(pushed.unit).toMatchObject({ outcome: 'pushed', servingVersion: 'int8' })
    expect((await status()).health?.model?.sha256).toBe(q.model.sha256)

    // The host's answer from the same file (the library's copy), sample by sample.
    const app = createApp({ dataDir: data.dir })
    const file = app.services.models.store.filePath(q.model.sha256)
    app.close()
    const session = await ort.InferenceSession.create(readFileSync(file))
    const n = 12
    for (let i = 0; i < n; i++) {
      const out = await session.run({ [session.inputNames[0] as string]: new ort.Tensor('float32', Float32Array.from(samples.inputs[i] as number[]), [1, 1, 8, 8]) })
      const y = Array.from(out[session.outputNames[0] as string]?.data as Float32Array)
      const onPi = await infer(i)
      expect(onPi.model.version).toBe('int8')
      expect(onPi.argmax, `sample ${i}`).toEqual([y.indexOf(Math.max(...y))])
    }
    took(`quantize, push and ${n} answers compared`, t)
  }, 300_000)
})
