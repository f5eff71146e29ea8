// The install and push plans executed for real (on this machine, under a temp root, without SSH or
// systemd): the runtime lands and self-tests, the agent started the way the unit starts it serves
// pushed models, a broken push is refused on the device or by the agent, rollback is one switch,
// a re-push after a "power cut" is recognised, and pruning keeps what it must.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readlinkSync } from 'node:fs'
import { readFile, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildRuntimeBundle } from '../../../src/main/core/runtime/build-runtime-bundle'
import { deviceLayout } from '../../../src/main/core/runtime/device-layout'
import { modelCurrentStep, modelListStep, modelPruneSteps, modelPushPlan, modelSwitchSteps, pushHealthVerdict } from '../../../src/main/core/runtime/model-push-plan'
import { runtimeInstallPlan } from '../../../src/main/core/runtime/runtime-install-plan'
import type { HealthResponse } from '../../../src/agent/protocol'
import { tempDir } from '../../helpers/temp-dir'
import { agentBundle, digitsModel, ensureAgentBuilt, readDigits, repoRoot } from './agent-process'
import { runPlanLocally, runStepLocally } from './local-plan-runner'

const isRoot = process.getuid?.() === 0

describe.runIf(isRoot && process.platform === 'linux' && process.arch === 'x64')('install and push plans, run locally', () => {
  const tmp = tempDir('edgedock-plans-')
  const layout = deviceLayout(path.join(tmp.dir, 'device'))
  const sshUser = os.userInfo().username
  let agent: ChildProcess | null = null
  let url = ''
  let digits: Awaited<ReturnType<typeof readDigits>>
  let bundleOptions: Parameters<typeof buildRuntimeBundle>[0]
  const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex')

  async function health(): Promise<HealthResponse> {
    return (await (await fetch(`${url}/health`)).json()) as HealthResponse
  }
  async function waitVerdict(version: string): Promise<ReturnType<typeof pushHealthVerdict>> {
    const deadline = Date.now() + 10_000
    for (;;) {
      const v = pushHealthVerdict(await health(), version)
      if (v.state !== 'pending' || Date.now() > deadline) return v
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  async function push(version: string, file: string, bytes: Buffer): Promise<void> {
    const plan = modelPushPlan({ name: 'digits', version, sha256: sha(bytes), size: bytes.length, localFile: file, sshUser, layout })
    const probe = await runStepLocally(plan.probe)
    if (probe.exitCode !== 0) await runPlanLocally(plan.upload)
    await runPlanLocally(plan.activate)
  }

  beforeAll(async () => {
    ensureAgentBuilt()
    digits = await readDigits()
    bundleOptions = {
      arch: 'x64',
      cacheDir: path.join(tmp.dir, 'cache'),
      agentFile: agentBundle,
      unitFile: path.join(repoRoot, 'resources/device/edgedock-inference.service'),
      ortPackageDir: path.join(repoRoot, 'node_modules/onnxruntime-node'),
      nodeBinary: async () => process.execPath
    }
    const bundle = await buildRuntimeBundle(bundleOptions)
    // Node and ONNX Runtime travel gzipped and are unpacked on the unit.
    expect([...bundle.packed.keys()]).toEqual(expect.arrayContaining(['bin/node', 'onnxruntime/bin/napi-v6/linux/x64/libonnxruntime.so.1']))
    const plan = runtimeInstallPlan({ bundle, sshUser, layout })
    expect((await runStepLocally(plan.probe)).exitCode).not.toBe(0)
    const outcomes = await runPlanLocally(plan.install())
    expect(JSON.parse(outcomes.at(-1)?.stdout ?? '')).toMatchObject({ onnxruntime: '1.30.0' })
    // No systemd here: switch the runtime link and start the agent as the unit's ExecStart does.
    await runPlanLocally(plan.activate.filter((s) => !s.id.startsWith('unit-')))
    expect((await runStepLocally(plan.probe)).exitCode).toBe(0)
    expect(readlinkSync(layout.runtimeCurrent)).toBe(bundle.version)

    agent = spawn(path.join(layout.runtimeCurrent, 'bin/node'), [path.join(layout.runtimeCurrent, 'agent/edgedock-agent.cjs'), 'serve'], {
      env: { PATH: process.env.PATH, EDGEDOCK_ROOT: layout.root, EDGEDOCK_ORT_DIR: path.join(layout.runtimeCurrent, 'onnxruntime'), EDGEDOCK_HOST: '127.0.0.1', EDGEDOCK_PORT: '0', EDGEDOCK_THREADS: '1', EDGEDOCK_POLL_MS: '60000' },
      stdio: ['ignore', 'pipe', 'inherit']
    })
    url = await new Promise<string>((resolve, reject) => {
      agent?.stdout?.on('data', (d: Buffer) => {
        const m = /^listening .*port=(\d+)/m.exec(String(d))
        if (m) resolve(`http://127.0.0.1:${m[1]}`)
      })
      agent?.once('exit', (code) => reject(new Error(`agent exited ${code}`)))
    })
  })

  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      const exited = new Promise((r) => agent?.once('exit', r))
      agent.kill('SIGTERM')
      await exited
    }
    tmp.cleanup()
  })

  it('pushes the digits model: root-owned, readable, served with its sha256', async () => {
    await push('v1', digitsModel, digits.model)
    expect(await waitVerdict('v1')).toEqual({ state: 'serving', version: 'v1' })
    const st = await stat(path.join(layout.modelsDir, 'v1', 'model.onnx'))
    expect([st.uid, st.mode & 0o777]).toEqual([0, 0o644])
    expect(existsSync(path.join(layout.modelsDir, '.incoming-v1'))).toBe(false)
    const h = await health()
    expect(h.model).toEqual({ name: 'digits', version: 'v1', sha256: sha(digits.model) })
    const r = (await (await fetch(`${url}/infer`, { method: 'POST', body: JSON.stringify({ input: digits.inputs[0] }) })).json()) as { argmax: number[] }
    expect(r.argmax).toEqual([digits.labels[0]])
  })

  it('stops before the switch when the upload does not match its sha256', async () => {
    const plan = modelPushPlan({ name: 'digits', version: 'v2', sha256: sha(digits.model), size: digits.model.length, localFile: path.join(tmp.dir, 'truncated.onnx'), sshUser, layout })
    await writeFile(path.join(tmp.dir, 'truncated.onnx'), digits.model.subarray(0, 1000))
    await expect(runPlanLocally(plan.upload)).rejects.toThrow(/model-verify/)
    expect(existsSync(path.join(layout.modelsDir, 'v2'))).toBe(false)
    await runPlanLocally(plan.cleanup)
    expect(existsSync(path.join(layout.modelsDir, '.incoming-v2'))).toBe(false)
    expect(readlinkSync(layout.modelsCurrent)).toBe('v1')
  })

  it('a model the agent cannot load is reported, and rollback is one switch', async () => {
    const broken = Buffer.from('this is not an onnx model')
    await writeFile(path.join(tmp.dir, 'broken.onnx'), broken)
    await push('v3', path.join(tmp.dir, 'broken.onnx'), broken)
    const verdict = await waitVerdict('v3')
    expect(verdict).toMatchObject({ state: 'failed', code: 'AGENT_MODEL_LOAD_FAILED' })
    expect((await health()).model?.version).toBe('v1')
    const current = await runStepLocally(modelCurrentStep(layout))
    expect(current.stdout.trim()).toBe('v3')
    await runPlanLocally(modelSwitchSteps('v1', layout))
    expect(await waitVerdict('v1')).toEqual({ state: 'serving', version: 'v1' })
    expect((await health()).lastLoadError).toBeNull()
  })

  it('after a power cut between rename and switch, the re-push only switches', async () => {
    const plan = modelPushPlan({ name: 'digits', version: 'v4', sha256: sha(digits.model), size: digits.model.length, localFile: digitsModel, sshUser, layout })
    await runPlanLocally(plan.upload)
    // ...power cut here: models/v4 is complete, current still v1. The retry's probe recognises it.
    expect((await runStepLocally(plan.probe)).exitCode).toBe(0)
    await runPlanLocally(plan.activate)
    expect(await waitVerdict('v4')).toEqual({ state: 'serving', version: 'v4' })
  })

  it('a new runtime version links the files the one in use has, sends the rest, and starts', async () => {
    const active = readlinkSync(layout.runtimeCurrent)
    const agentFile = path.join(tmp.dir, 'agent-next.cjs')
    await writeFile(agentFile, `${await readFile(agentBundle, 'utf8')}\n// next agent\n`)
    const next = await buildRuntimeBundle({ ...bundleOptions, agentFile })
    expect(next.version).not.toBe(active)
    const plan = runtimeInstallPlan({ bundle: next, sshUser, layout })
    const probe = plan.reuseProbe(active)
    const reuse = { version: active, sums: (await runStepLocally(probe!)).stdout }
    expect(plan.sendBytes(reuse)).toBeLessThan(0.01 * plan.sendBytes())
    const outcomes = await runPlanLocally(plan.install(reuse))
    expect(JSON.parse(outcomes.at(-1)?.stdout ?? '')).toMatchObject({ onnxruntime: '1.30.0' })
    const inode = async (version: string, rel: string) => (await stat(path.join(layout.runtimeDir, version, rel))).ino
    expect(await inode(next.version, 'bin/node')).toBe(await inode(active, 'bin/node'))
    expect(await inode(next.version, 'agent/edgedock-agent.cjs')).not.toBe(await inode(active, 'agent/edgedock-agent.cjs'))
    expect((await runStepLocally(plan.probe)).exitCode).toBe(0)
  })

  it('prunes old versions but keeps current and the rollback target', async () => {
    const listing = await runStepLocally(modelListStep(layout))
    const steps = modelPruneSteps(listing.stdout, ['v4', 'v1'], 2, layout)
    await runPlanLocally(steps)
    const left = (await runStepLocally(modelListStep(layout))).stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[1])
      .sort()
    expect(left).toEqual(['v1', 'v4'])
    expect(JSON.parse(await readFile(path.join(layout.modelsDir, 'v4', 'meta.json'), 'utf8'))).toMatchObject({ version: 'v4' })
  })
})
