import { describe, expect, it } from 'vitest'
import { deviceLayout } from '../../../../../src/main/core/runtime/device-layout'
import { modelPruneSteps, modelPushPlan, modelSwitchSteps, pushHealthVerdict } from '../../../../../src/main/core/runtime/model-push-plan'
import type { PlanStep, RunStep } from '../../../../../src/main/core/runtime/plan-steps'
import { runtimeInstallPlan, runtimePruneSteps } from '../../../../../src/main/core/runtime/runtime-install-plan'
import type { RuntimeManifest } from '../../../../../src/main/core/runtime/bundle-manifest'
import type { HealthResponse } from '../../../../../src/agent/protocol'

const SHA = 'bc860798bc7874ed5fc2b45753d75ad766bd55622edf75735dd3c6968ca6d76f'
const argvOf = (steps: readonly PlanStep[]): string[][] => steps.flatMap((s) => (s.kind === 'run' ? [s.argv] : []))
const ids = (steps: readonly PlanStep[]): string[] => steps.map((s) => s.id)

function expectArgvOnly(steps: readonly PlanStep[]): void {
  for (const s of steps) {
    if (s.kind !== 'run') continue
    expect(Array.isArray(s.argv)).toBe(true)
    expect(s.argv.every((a) => typeof a === 'string' && a.length > 0)).toBe(true)
    // One program per step: no shell operators smuggled into an argument list.
    expect(s.argv.some((a) => ['&&', '||', ';', '|'].includes(a))).toBe(false)
  }
}

describe('modelPushPlan', () => {
  const plan = modelPushPlan({ name: 'digits', version: '2026.11.25-1', sha256: SHA, size: 154979, localFile: '/data/models/bc86.onnx', sshUser: 'pi' })

  it('stages, verifies on the device, flushes, renames, then switches current', () => {
    expect(ids(plan.upload)).toEqual(['model-stage-clean', 'model-stage-create', 'model-upload', 'model-meta', 'model-verify', 'model-verified', 'model-own', 'model-perms', 'model-sync', 'model-move', 'model-move-sync'])
    expect(plan.upload[2]).toMatchObject({ kind: 'upload', local: '/data/models/bc86.onnx', remote: '/opt/edgedock/models/.incoming-2026.11.25-1/model.onnx', size: 154979, sha256: SHA })
    expect(plan.upload[3]).toMatchObject({ kind: 'write', remote: '/opt/edgedock/models/.incoming-2026.11.25-1/meta.json' })
    expect(JSON.parse((plan.upload[3] as { content: string }).content)).toEqual({ name: 'digits', version: '2026.11.25-1', sha256: SHA })
    const verify = plan.upload[4] as RunStep
    expect(verify.argv).toEqual(['sha256sum', '--quiet', '--strict', '-c', '-'])
    expect(verify.stdin).toBe(`${SHA}  /opt/edgedock/models/.incoming-2026.11.25-1/model.onnx\n`)
    expect((plan.upload[9] as RunStep).argv).toEqual(['mv', '-T', '--', '/opt/edgedock/models/.incoming-2026.11.25-1', '/opt/edgedock/models/2026.11.25-1'])
    expect(plan.probe.stdin).toBe(`${SHA}  /opt/edgedock/models/2026.11.25-1/model.onnx\n`)
    expectArgvOnly([...plan.upload, ...plan.activate, plan.probe])
  })

  it('switches current atomically (ln -s to a temporary name, then mv -T), never ln -sfn', () => {
    expect(argvOf(plan.activate)).toEqual([
      ['rm', '-f', '--', '/opt/edgedock/models/.current.tmp'],
      ['ln', '-s', '--', '2026.11.25-1', '/opt/edgedock/models/.current.tmp'],
      ['mv', '-T', '--', '/opt/edgedock/models/.current.tmp', '/opt/edgedock/models/current'],
      ['sync']
    ])
    expect(plan.activate.slice(0, 3).every((s) => s.sudo)).toBe(true)
    expect(argvOf(modelSwitchSteps('v1'))[1]).toEqual(['ln', '-s', '--', 'v1', '/opt/edgedock/models/.current.tmp'])
  })

  it('uses the layout it is given (a lab VM or a test root)', () => {
    const p = modelPushPlan({ name: 'd', version: 'v1', sha256: SHA, size: 1, localFile: '/x', sshUser: 'pi', layout: deviceLayout('/tmp/root') })
    expect(p.upload[2]).toMatchObject({ remote: '/tmp/root/models/.incoming-v1/model.onnx' })
  })

  it('refuses versions that are not one plain path segment', () => {
    for (const bad of ['../etc', 'a/b', '.hidden', 'current', '', 'v 1', '-rf', 'x'.repeat(101)]) {
      expect(() => modelPushPlan({ name: 'd', version: bad, sha256: SHA, size: 1, localFile: '/x', sshUser: 'pi' })).toThrow(/model version/)
    }
    expect(() => modelPushPlan({ name: 'd', version: 'v1', sha256: 'nope', size: 1, localFile: '/x', sshUser: 'pi' })).toThrow(/sha256/)
  })
})

describe('pruning', () => {
  const find = ['1700000100.5 v1', '1700000300.1 v3', '1700000200.0 v2', '1700000400.0 v4', '1700000500.0 .incoming-v5', ''].join('\n')

  it('keeps the newest N and every protected version, never staging dirs', () => {
    expect(argvOf(modelPruneSteps(find, ['v4', 'v1'], 3))).toEqual([['rm', '-rf', '--', '/opt/edgedock/models/v2']])
    expect(argvOf(modelPruneSteps(find, ['v4'], 2))).toEqual([
      ['rm', '-rf', '--', '/opt/edgedock/models/v2'],
      ['rm', '-rf', '--', '/opt/edgedock/models/v1']
    ])
    expect(modelPruneSteps(find, ['v1'], 10)).toEqual([])
  })

  it('keeps the active runtime even when it is the oldest', () => {
    const out = '1.0 node22.23.3-ort1.30.0-agentaaaaaaaaaaaa\n2.0 node22.23.3-ort1.30.0-agentbbbbbbbbbbbb\n3.0 node22.23.3-ort1.30.0-agentcccccccccccc\n'
    expect(argvOf(runtimePruneSteps(out, 'node22.23.3-ort1.30.0-agentaaaaaaaaaaaa', 2))).toEqual([['rm', '-rf', '--', '/opt/edgedock/runtime/node22.23.3-ort1.30.0-agentbbbbbbbbbbbb']])
  })
})

describe('runtimeInstallPlan', () => {
  const manifest: RuntimeManifest = {
    format: 1,
    version: 'node22.23.3-ort1.30.0-agent0123456789ab',
    platform: 'linux',
    arch: 'arm64',
    node: '22.23.3',
    onnxruntime: '1.30.0',
    agentSha256: '0'.repeat(64),
    totalBytes: 30,
    files: [
      { path: 'agent/edgedock-agent.cjs', size: 10, mode: 0o644, sha256: 'a'.repeat(64) },
      { path: 'bin/node', size: 10, mode: 0o755, sha256: 'b'.repeat(64) },
      { path: 'onnxruntime/bin/napi-v6/linux/arm64/onnxruntime_binding.node', size: 10, mode: 0o644, sha256: 'c'.repeat(64) }
    ]
  }
  const uploadFiles = [...manifest.files, { path: 'manifest.json', size: 5, mode: 0o644, sha256: 'd'.repeat(64) }, { path: 'SHA256SUMS', size: 5, mode: 0o644, sha256: 'e'.repeat(64) }]
  const plan = runtimeInstallPlan({ bundle: { dir: '/data/runtime-cache/rt', manifest, uploadFiles }, sshUser: 'pi' })
  const stage = '/opt/edgedock/incoming/runtime-node22.23.3-ort1.30.0-agent0123456789ab'
  const final = '/opt/edgedock/runtime/node22.23.3-ort1.30.0-agent0123456789ab'

  it('probes for the same version already installed and intact', () => {
    expect(plan.probe.argv).toEqual(['sha256sum', '--quiet', '--strict', '-c', '-'])
    expect(plan.probe.stdin?.split('\n')[1]).toBe(`${'b'.repeat(64)}  ${final}/bin/node`)
    expect(plan.sendBytes()).toBe(40)
  })

  it('uploads every file to a staging dir, checks, owns, flushes, renames, self-tests', () => {
    const runs = plan.install().filter((s): s is RunStep => s.kind === 'run')
    expect(runs.map((s) => s.id)).toEqual([
      'runtime-stage-clean', 'runtime-stage-create', 'runtime-stage-dirs', 'runtime-verify', 'runtime-own', 'runtime-perms', 'runtime-exec',
      'runtime-sync', 'runtime-old-clean', 'runtime-dir', 'runtime-move', 'runtime-move-sync', 'runtime-selftest'
    ])
    const uploads = plan.install().filter((s) => s.kind === 'upload')
    expect(uploads.map((u) => u.remote)).toContain(`${stage}/onnxruntime/bin/napi-v6/linux/arm64/onnxruntime_binding.node`)
    expect(uploads.map((u) => u.remote)).toContain(`${stage}/SHA256SUMS`)
    expect(uploads.find((u) => u.remote.endsWith('/bin/node'))).toMatchObject({ local: '/data/runtime-cache/rt/bin/node', mode: 0o755 })
    expect(runs.find((s) => s.id === 'runtime-stage-dirs')?.argv).toEqual(['mkdir', '-p', '--', stage, `${stage}/agent`, `${stage}/bin`, `${stage}/onnxruntime/bin/napi-v6/linux/arm64`])
    expect(runs.find((s) => s.id === 'runtime-move')?.argv).toEqual(['mv', '-T', '--', stage, final])
    expect(runs.find((s) => s.id === 'runtime-selftest')?.argv).toEqual([`${final}/bin/node`, `${final}/agent/edgedock-agent.cjs`, 'version'])
    expectArgvOnly(plan.install())
  })

  it('sends packed files gzipped, unpacked on the unit as they arrive, and checks the unpacked files', () => {
    const packed = new Map([['bin/node', { local: '/data/runtime-cache/packed/bbbb.gz', size: 4 }]])
    const p = runtimeInstallPlan({ bundle: { dir: '/data/runtime-cache/rt', manifest, uploadFiles, packed }, sshUser: 'pi' })
    const steps = p.install()
    expect(steps.find((s) => s.id === 'runtime-upload-bin/node')).toEqual(expect.objectContaining({ local: '/data/runtime-cache/packed/bbbb.gz', remote: `${stage}/bin/node`, size: 4, mode: 0o755, gunzip: true, sha256: 'b'.repeat(64) }))
    expect(steps.filter((s) => s.kind === 'upload' && s.gunzip).map((s) => s.id)).toEqual(['runtime-upload-bin/node'])
    expect((steps.find((s) => s.id === 'runtime-verify') as RunStep).stdin).toContain(`${'b'.repeat(64)}  ${stage}/bin/node\n`)
    expect(p.sendBytes()).toBe(34)
  })

  it('links the files the runtime in use has with the same sha256, and sends only the rest', () => {
    const old = '/opt/edgedock/runtime/node22.23.3-ort1.30.0-agentffffffffffff'
    const probe = plan.reuseProbe('node22.23.3-ort1.30.0-agentffffffffffff')
    expect(probe?.argv).toEqual(['sha256sum', '--', `${old}/agent/edgedock-agent.cjs`, `${old}/bin/node`, `${old}/onnxruntime/bin/napi-v6/linux/arm64/onnxruntime_binding.node`])
    // What sha256sum printed on the unit: the agent differs, node and the binding match, a stray path is ignored.
    const sums = [`${'f'.repeat(64)}  ${old}/agent/edgedock-agent.cjs`, `${'b'.repeat(64)}  ${old}/bin/node`, `${'c'.repeat(64)}  ${old}/onnxruntime/bin/napi-v6/linux/arm64/onnxruntime_binding.node`, `${'a'.repeat(64)}  /etc/agent/edgedock-agent.cjs`].join('\n')
    const reuse = { version: 'node22.23.3-ort1.30.0-agentffffffffffff', sums }
    const steps = plan.install(reuse)
    expect(argvOf(steps).find((a) => a[0] === 'env')).toEqual(['env', '-C', old, 'cp', '-l', '--parents', '-t', stage, '--', 'bin/node', 'onnxruntime/bin/napi-v6/linux/arm64/onnxruntime_binding.node'])
    expect(steps.find((s) => s.id === 'runtime-reuse')).toMatchObject({ sudo: true })
    expect(steps.filter((s) => s.kind === 'upload').map((s) => s.id)).toEqual(['runtime-upload-agent/edgedock-agent.cjs', 'runtime-upload-manifest.json', 'runtime-upload-SHA256SUMS'])
    expect(plan.sendBytes(reuse)).toBe(20)
    // The check still covers every file, linked or sent.
    expect(steps.find((s) => s.id === 'runtime-verify')?.kind === 'run' && (steps.find((s) => s.id === 'runtime-verify') as RunStep).stdin?.split('\n').filter(Boolean)).toHaveLength(5)
    expectArgvOnly(steps)
  })

  it('asks nothing of the same version or a name that is not a plain version', () => {
    expect(plan.reuseProbe(manifest.version)).toBeNull()
    expect(plan.reuseProbe('../../etc')).toBeNull()
    expect(plan.reuseProbe('current')).toBeNull()
    expect(plan.install({ version: 'x', sums: '' }).some((s) => s.id === 'runtime-reuse')).toBe(false)
  })

  it('activates: switch runtime/current atomically, install the unit, reload, enable, restart', () => {
    expect(plan.activate.map((s) => s.id)).toEqual([
      'runtime-models-dir', 'runtime-link-clean', 'runtime-link-new', 'runtime-link-switch', 'runtime-link-sync', 'unit-install', 'unit-reload', 'unit-enable', 'unit-restart'
    ])
    expect(argvOf(plan.activate).slice(5)).toEqual([
      ['install', '-m', '0644', '-o', 'root', '-g', 'root', '--', '/opt/edgedock/runtime/current/systemd/edgedock-inference.service', '/etc/systemd/system/edgedock-inference.service'],
      ['systemctl', 'daemon-reload'],
      ['systemctl', 'enable', 'edgedock-inference.service'],
      ['systemctl', 'restart', 'edgedock-inference.service']
    ])
    expectArgvOnly(plan.activate)
  })
})

describe('pushHealthVerdict', () => {
  const base: HealthResponse = { status: 'ok', model: { name: 'd', version: 'v2', sha256: SHA }, currentTarget: 'v2', lastLoadError: null, uptimeS: 3, runtime: { agent: '0.1.0', node: 'v22', onnxruntime: '1.30.0', arch: 'arm64' } }

  it('tells serving, refused and not-yet apart', () => {
    expect(pushHealthVerdict(base, 'v2')).toEqual({ state: 'serving', version: 'v2' })
    expect(pushHealthVerdict({ ...base, model: { ...base.model!, version: 'v1' }, currentTarget: 'v2' }, 'v2')).toEqual({ state: 'pending' })
    const failed = { ...base, status: 'degraded' as const, model: { ...base.model!, version: 'v1' }, currentTarget: 'v2', lastLoadError: { version: 'v2', code: 'AGENT_MODEL_LOAD_FAILED' as const, message: 'bad', at: '' } }
    expect(pushHealthVerdict(failed, 'v2')).toEqual({ state: 'failed', version: 'v2', code: 'AGENT_MODEL_LOAD_FAILED', message: 'bad' })
  })
})
