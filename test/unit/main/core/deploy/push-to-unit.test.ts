// The push on one unit, with the real GNU tools on a local directory laid out like /opt/edgedock and
// the agent's own ModelHost answering /health: what ends up served after a push, a refused model, a
// silent service, and a failure at each step of the upload and the switch.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { pushToUnit, type PushModel, type PushUnitResult } from '../../../../../src/main/core/deploy/push-to-unit'
import { deviceLayout, modelPushPlan, modelSwitchSteps } from '../../../../../src/main/core/runtime'
import { cmd } from '../../../../../src/main/core/ssh/remote-command'
import { EdgeError } from '../../../../../src/shared/errors'
import { englishOf } from '../../../../../src/shared/texts'
import { tempDir } from '../../../../helpers/temp-dir'
import { canMountTmpfs, localUnit, mountTmpfs, type LocalUnit } from './local-unit'

const noWait = { pollMs: 0, sleep: async () => undefined }
let files: ReturnType<typeof tempDir>
let unit: LocalUnit
let steps: string[]

function model(version: string, content: string | Buffer = `weights of ${version}`, name = 'digits'): PushModel {
  const localFile = path.join(files.dir, `${name}-${version}-${createHash('md5').update(content).digest('hex')}.onnx`)
  writeFileSync(localFile, content)
  return { name, version, sha256: createHash('sha256').update(content).digest('hex'), size: Buffer.byteLength(content), localFile }
}

/** `m` as a push from a library that still holds the files of `held` (delta bases). */
const withLibrary = (m: PushModel, ...held: PushModel[]): PushModel => ({ ...m, fileFor: (sha) => held.find((h) => h.sha256 === sha)?.localFile ?? null })
/** 256 KiB of seeded noise, as weights look to a chunker; `head` changes the last 16 KiB. */
function weights(head = 0): Buffer {
  const out = Buffer.alloc(256 * 1024)
  let x = 12345
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = (x & 0xff) ^ (i >= out.length - 16384 ? head : 0)
  }
  return out
}

function push(m: PushModel, opts: { loadTimeoutMs?: number; serviceTimeoutMs?: number; keep?: number; delta?: boolean } = {}): Promise<PushUnitResult> {
  return pushToUnit(unit.shell, m, { wait: noWait, loadTimeoutMs: 50, serviceTimeoutMs: 50, layout: unit.layout, ...opts }, {
    signal: new AbortController().signal,
    log: () => undefined,
    phase: (name, fn) => (steps.push(englishOf(name)), fn())
  })
}

const current = () => path.basename(readlinkSync(unit.layout.modelsCurrent))
const onUnit = () => readdirSync(unit.layout.modelsDir).filter((n) => n !== 'current').sort()
async function served(): Promise<string | null> {
  await unit.host.sync()
  return unit.host.model?.meta.version ?? null
}
async function failure(p: Promise<unknown>): Promise<EdgeError> {
  const err = await p.then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(EdgeError)
  return err as EdgeError
}

beforeEach(async () => {
  files = tempDir('edgedock-models-')
  unit = await localUnit()
  steps = []
})
afterEach(async () => {
  await unit.host.close()
  await unit.cleanup()
  files.cleanup()
})

describe('pushing a model version to a unit', () => {
  it('uploads, checks, switches and serves it; the files are in place and no staging is left', async () => {
    const m = model('1')
    const r = await push(m)
    expect(r).toEqual({ outcome: 'pushed', method: 'full', bytesSent: m.size, base: null, previousVersion: null, servingVersion: '1' })
    expect(current()).toBe('1')
    expect(await served()).toBe('1')
    expect(JSON.parse(readFileSync(path.join(unit.layout.modelsDir, '1', 'meta.json'), 'utf8'))).toEqual({ name: 'digits', version: '1', sha256: m.sha256 })
    expect(readdirSync(unit.layout.modelsDir).sort()).toEqual(['1', 'current'])
    // The switch is a rename of a new link over `current`, never `ln -sfn`.
    expect(unit.commands.some((c) => c.includes(`mv -T -- ${unit.layout.modelsDir}/.current.tmp ${unit.layout.modelsCurrent}`))).toBe(true)
    expect(unit.commands.some((c) => c.includes('ln -sfn'))).toBe(false)
    // Few round trips: look (2), prepare, upload, check+move, service, switch, health, list.
    expect(unit.commands.length).toBeLessThanOrEqual(8)
  })

  it('sends nothing and switches nothing when the unit already serves that version', async () => {
    await push(model('1'))
    unit.commands.length = 0
    unit.uploads.length = 0
    const r = await push(model('1'))
    expect(r).toMatchObject({ outcome: 'already-current', method: 'none', bytesSent: 0, servingVersion: '1' })
    expect(unit.uploads).toEqual([])
    expect(unit.commands.filter((c) => / mv | rm |^mv |^rm /.test(c))).toEqual([])
  })

  it('switches back to a version already on the unit without uploading it again', async () => {
    await push(model('1'))
    await push(model('2'))
    unit.uploads.length = 0
    const r = await push(model('1'))
    expect(r).toMatchObject({ outcome: 'pushed', method: 'none', bytesSent: 0, previousVersion: '2', servingVersion: '1' })
    expect(unit.uploads).toEqual([])
    expect(await served()).toBe('1')
  })

  it('makes a new version from the identical file already on the unit under another version, sending nothing', async () => {
    await push(model('1', 'the same weights'))
    unit.uploads.length = 0
    const m = model('2', 'the same weights')
    const r = await push(m)
    expect(r).toEqual({ outcome: 'pushed', method: 'reuse', bytesSent: 0, base: '1', previousVersion: '1', servingVersion: '2' })
    expect(unit.uploads).toEqual([])
    expect(await served()).toBe('2')
    expect(JSON.parse(readFileSync(path.join(unit.layout.modelsDir, '2', 'meta.json'), 'utf8'))).toEqual({ name: 'digits', version: '2', sha256: m.sha256 })
    // One file on the card, two names: removing 1 later leaves 2 whole.
    const inode = (v: string) => statSync(path.join(unit.layout.modelsDir, v, 'model.onnx')).ino
    expect(inode('2')).toBe(inode('1'))
    expect(steps).toContain('Use the identical file of 1 already on the unit')
  })

  it('sends the file after all when the copy on the unit is not what its meta.json says', async () => {
    const first = model('1', 'the same weights')
    await push(first)
    writeFileSync(path.join(unit.layout.modelsDir, '1', 'model.onnx'), 'damaged on the card')
    unit.uploads.length = 0
    const m = model('2', 'the same weights')
    const r = await push(m)
    expect(r).toEqual({ outcome: 'pushed', method: 'full', bytesSent: m.size, base: null, previousVersion: '1', servingVersion: '2' })
    expect(unit.uploads).toHaveLength(1)
    expect(readFileSync(path.join(unit.layout.modelsDir, '2', 'model.onnx'), 'utf8')).toBe('the same weights')
    expect(readdirSync(unit.layout.modelsDir).filter((n) => n.startsWith('.'))).toEqual([])
  })

  it('sends only what changed from the version the unit serves, and serves the rebuilt file', async () => {
    const v1 = model('1', weights())
    await push(v1)
    unit.uploads.length = 0
    const v2 = model('2', weights(0x5a))
    const r = await push(withLibrary(v2, v1))
    expect(r).toMatchObject({ outcome: 'pushed', method: 'delta', base: '1', previousVersion: '1', servingVersion: '2' })
    expect(r.bytesSent).toBeGreaterThan(16384)
    expect(r.bytesSent).toBeLessThan(v2.size * 0.15)
    expect(steps).toContain('Send only what changed from 1 to 2')
    expect(readFileSync(path.join(unit.layout.modelsDir, '2', 'model.onnx')).equals(readFileSync(v2.localFile))).toBe(true)
    expect(await served()).toBe('2')
    // Neither the delta nor the staging folder stays on the card.
    expect(readdirSync(unit.layout.modelsDir).filter((n) => n.startsWith('.'))).toEqual([])
  })

  it('sends the whole file when the base on the unit is damaged (the delta cannot rebuild it), and serves it', async () => {
    const v1 = model('1', weights())
    await push(v1)
    const onCard = path.join(unit.layout.modelsDir, '1', 'model.onnx')
    const flipped = readFileSync(onCard)
    flipped[100] = (flipped[100] as number) ^ 1
    writeFileSync(onCard, flipped)
    const v2 = model('2', weights(0x5a))
    const r = await push(withLibrary(v2, v1))
    expect(r).toMatchObject({ outcome: 'pushed', method: 'full', bytesSent: v2.size, servingVersion: '2' })
    expect(steps).toContain('Send only what changed from 1 to 2')
    expect(readFileSync(path.join(unit.layout.modelsDir, '2', 'model.onnx')).equals(readFileSync(v2.localFile))).toBe(true)
    expect(await served()).toBe('2')
    expect(readdirSync(unit.layout.modelsDir).filter((n) => n.startsWith('.'))).toEqual([])
  })

  it('sends the whole file when asked to (no delta), or when the library no longer has the served version', async () => {
    const v1 = model('1', weights())
    await push(v1)
    const v2 = model('2', weights(0x5a))
    expect(await push(withLibrary(v2, v1), { delta: false })).toMatchObject({ method: 'full', bytesSent: v2.size })
    const v3 = model('3', weights(0x33))
    expect(await push(withLibrary(v3, v1))).toMatchObject({ method: 'full', bytesSent: v3.size, servingVersion: '3' })
    expect(steps).not.toContain('Send only what changed from 2 to 3')
  })

  it('keeps the newest three versions plus the one it came from', async () => {
    for (const v of ['1', '2', '3', '4', '5']) await push(model(v))
    expect(onUnit()).toEqual(['3', '4', '5'])
    // Going back to an old version keeps it and the one just left, then the newest up to three.
    await push(model('3'))
    expect(onUnit()).toEqual(['3', '4', '5'])
    await push(model('6'), { keep: 2 })
    expect(onUnit()).toEqual(['3', '6'])
  })
})

describe('a new version that does not serve', () => {
  it('that fails to load: switches back, checks the old one serves, removes the broken one, and says why', async () => {
    await push(model('1'))
    const r = await push(model('2', 'BROKEN weights'))
    expect(r.outcome).toBe('rolled-back')
    if (r.outcome !== 'rolled-back') return
    expect(r.servingVersion).toBe('1')
    expect(r.error.code).toBe('MODEL_PUSH_ROLLED_BACK')
    expect(r.error.message).toMatch(/switched it back to the previous version/)
    expect(r.error.detail).toMatch(/digits 2 on pi@unit-1: it did not load \(ONNX Runtime could not load the model: No Op registered for Nope\); serving 1 again/)
    expect(current()).toBe('1')
    expect(await served()).toBe('1')
    expect(unit.host.status).toBe('ok')
    expect(onUnit()).toEqual(['1'])
    expect(steps).toContain('Roll back to 1')
  })

  it('that the service never reports on in time: switches back too, and keeps the files (they may be fine)', async () => {
    await push(model('1'))
    unit.service = 'frozen'
    const r = await push(model('2'))
    expect(r).toMatchObject({ outcome: 'rolled-back', servingVersion: '1' })
    if (r.outcome === 'rolled-back') expect(r.error.detail).toMatch(/no answer that it serves it in time/)
    expect(current()).toBe('1')
    expect(onUnit()).toEqual(['1', '2'])
  })

  it('with nothing to go back to: fails with MODEL_PUSH_NOT_LOADED', async () => {
    const err = await failure(push(model('1', 'BROKEN')))
    expect(err.code).toBe('MODEL_PUSH_NOT_LOADED')
    expect(err.message).toMatch(/no earlier version to go back to/)
  })

  it('when going back fails too: MODEL_ROLLBACK_FAILED, not a claim that it rolled back', async () => {
    await push(model('1'))
    // The second switch of this push is the one back to 1.
    unit.breakCommand(cmd(['mv', '-T', '--', `${unit.layout.modelsDir}/.current.tmp`, unit.layout.modelsCurrent]).line, 1)
    const err = await failure(push(model('2', 'BROKEN')))
    expect(err.code).toBe('MODEL_ROLLBACK_FAILED')
    expect(err.message).toMatch(/^Going back to the previous model version did not work: 1 on pi@unit-1: .*Switch model to 1.*after 2 did not serve: it did not load/)
  })
})

describe('a failure part-way leaves the unit serving what it served', () => {
  // The probe comes first and runs the same `sha256sum -c -` as the check after the upload.
  const planFor = (layout: ReturnType<typeof deviceLayout>) => {
    const plan = modelPushPlan({ name: 'digits', version: '2', sha256: '0'.repeat(64), size: 1, localFile: '/x', sshUser: os.userInfo().username, layout })
    return [plan.probe, ...plan.upload.flatMap((s) => (s.kind === 'run' ? [s] : []))]
  }
  for (const [index, step] of planFor(deviceLayout('/tmp/unit')).entries()) {
    if (index === 0) continue
    it(`at "${step.title}"`, async () => {
      await push(model('1'))
      // Fail the step's exact command line (the k-th time it comes, for the two `sync`s).
      const steps = planFor(unit.layout)
      const line = (steps[index] as { argv: string[] }).argv.join(' ')
      unit.breakCommand(cmd(steps[index]?.argv ?? []).line, steps.slice(0, index).filter((s) => s.argv.join(' ') === line).length)
      const err = await failure(push(model('2')))
      expect(err.code).toBe('DEPLOY_STEP_FAILED')
      expect(err.message).toContain(step.title)
      expect(current()).toBe('1')
      expect(await served()).toBe('1')
      // The next push starts clean (leftover staging removed) and succeeds.
      expect(await push(model('2'))).toMatchObject({ outcome: 'pushed', servingVersion: '2' })
      expect(readdirSync(unit.layout.modelsDir).filter((n) => n.startsWith('.'))).toEqual([])
    })
  }

  it('when the upload breaks off: SSH_TRANSFER_FAILED, the half-sent file removed', async () => {
    await push(model('1'))
    unit.uploadError = new EdgeError('SSH_TRANSFER_FAILED', 'model.onnx on unit-1: connection lost')
    const err = await failure(push(model('2')))
    expect(err.code).toBe('SSH_TRANSFER_FAILED')
    expect(current()).toBe('1')
    expect(existsSync(path.join(unit.layout.modelsDir, '.incoming-2'))).toBe(false)
  })

  it('when the file arrives damaged: the sha256 check on the unit stops it before the switch', async () => {
    await push(model('1'))
    const m = model('2')
    writeFileSync(m.localFile, 'not what was hashed')
    const err = await failure(push(m))
    expect(err.message).toMatch(/Check the model against its sha256 on the unit/)
    expect(current()).toBe('1')
    expect(onUnit()).toEqual(['1'])
  })

  for (const id of ['model-link-new', 'model-link-switch']) {
    it(`at the switch (${id})`, async () => {
      await push(model('1'))
      const step = modelSwitchSteps('2', unit.layout).find((s) => s.id === id)
      unit.breakCommand(cmd(step?.argv ?? []).line)
      const err = await failure(push(model('2')))
      expect(err.code).toBe('DEPLOY_STEP_FAILED')
      expect(err.message).toContain(step?.title)
      expect(current()).toBe('1')
      expect(await served()).toBe('1')
    })
  }

  it('when the service does not answer: sends nothing and switches nothing (INFERENCE_SERVICE_DOWN); the next push does it all', async () => {
    await push(model('1'))
    unit.service = 'down'
    unit.uploads.length = 0
    const err = await failure(push(model('2')))
    expect(err.code).toBe('INFERENCE_SERVICE_DOWN')
    expect(current()).toBe('1')
    expect(onUnit()).toEqual(['1'])
    expect(unit.uploads).toEqual([])
    unit.service = 'up'
    expect(await push(model('2'))).toMatchObject({ outcome: 'pushed', method: 'full', servingVersion: '2' })
    expect(await served()).toBe('2')
  })

  it('a version already complete on the unit but never switched to (a power cut after the move) is only switched to', async () => {
    await push(model('1'))
    const m = model('2')
    // What a cut between the move and the link leaves: models/2 complete, `current` still on 1.
    const dir = path.join(unit.layout.modelsDir, '2')
    mkdirSync(dir)
    writeFileSync(path.join(dir, 'model.onnx'), readFileSync(m.localFile))
    writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ name: m.name, version: m.version, sha256: m.sha256 }))
    unit.uploads.length = 0
    steps.length = 0
    expect(await push(m)).toMatchObject({ outcome: 'pushed', method: 'none', bytesSent: 0, servingVersion: '2' })
    expect(unit.uploads).toEqual([])
    expect(steps).toContain('Switch to 2')
  })

  it('when the unit has other contents under that version: MODEL_VERSION_CONFLICT before anything is written', async () => {
    await push(model('1'))
    const err = await failure(push(model('1', 'other weights')))
    expect(err.code).toBe('MODEL_VERSION_CONFLICT')
    // Checked first in the same command as the upload: the unit's own "1" untouched, nothing staged.
    expect(readFileSync(path.join(unit.layout.modelsDir, '1', 'model.onnx'), 'utf8')).toBe('weights of 1')
    expect(readdirSync(unit.layout.modelsDir).filter((n) => n.startsWith('.'))).toEqual([])
    expect(await served()).toBe('1')
  })
})

// A card that fills up: a real filesystem of 1 MiB (tmpfs) under the unit's models directory, so
// sha256sum, dd and the agent's applier meet ENOSPC as on a Pi. Mounting needs root on Linux.
describe.skipIf(!canMountTmpfs)(`a unit whose card is full${canMountTmpfs ? '' : ' (skipped: mounting a small tmpfs needs root on Linux)'}`, () => {
  let unmount: (() => void) | null = null
  afterEach(() => {
    unmount?.()
    unmount = null
  })

  it('fails saying the card is full and what to do, keeps serving the old version, leaves nothing half-written; the next push after space is freed succeeds', async () => {
    mkdirSync(unit.layout.modelsDir, { recursive: true })
    unmount = mountTmpfs(unit.layout.modelsDir, '1m')
    const v1 = model('1', weights())
    await push(v1)
    // What is left is less than one more model file (256 KiB).
    const filler = path.join(unit.layout.modelsDir, 'filler')
    writeFileSync(filler, Buffer.alloc(1024 * 1024 - 256 * 1024 - 128 * 1024).fill(1))
    const v2 = model('2', weights(0x5a))
    unit.uploads.length = 0
    const err = await failure(push(withLibrary(v2, v1)))
    expect(err.code).toBe('MODEL_DISK_FULL')
    // The delta met the full card; the whole file was not sent after it for nothing.
    expect(steps).toContain('Send only what changed from 1 to 2')
    expect(unit.uploads).toEqual([v2.localFile].map(() => expect.stringMatching(/model\.delta\.br$/)))
    expect(err.message).toMatch(/no space left on the unit's card/i)
    expect(current()).toBe('1')
    expect(await served()).toBe('1')
    expect(readdirSync(unit.layout.modelsDir).filter((n) => n.startsWith('.'))).toEqual([])

    rmSync(filler)
    const r = await push(withLibrary(v2, v1))
    expect(r).toMatchObject({ outcome: 'pushed', servingVersion: '2' })
    expect(await served()).toBe('2')
  })
})
