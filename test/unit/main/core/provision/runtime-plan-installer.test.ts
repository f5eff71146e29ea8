// The runtime module's install plan behind the runtime step: reported as installed only when it is
// the active, enabled, intact version; installed with uploads through SFTP; cleaned up on failure.
import { describe, expect, it } from 'vitest'
import type { RemoteShell, RunOptions, RunResult } from '../../../../../src/main/core/provision'
import { runtimePlanInstaller } from '../../../../../src/main/core/provision/runtime-plan-installer'
import { REUSE_STEP_ID, type RunStep, type RuntimeInstallPlan } from '../../../../../src/main/core/runtime'

const stage: RunStep = { kind: 'run', id: 'stage', title: 'Create the upload directory', argv: ['install', '-d', '/opt/edgedock/incoming/rt'], sudo: true }
const move: RunStep = { kind: 'run', id: 'move', title: 'Move the runtime into place', argv: ['mv', '-T', '--', '/opt/edgedock/incoming/rt', '/opt/edgedock/runtime/0.4.0-arm64'], sudo: true }
const plan: RuntimeInstallPlan = {
  version: '0.4.0-arm64',
  probe: { kind: 'run', id: 'probe', title: 'Probe', argv: ['sha256sum', '--quiet', '--strict', '-c', '-'], sudo: false, stdin: 'abc  /opt/edgedock/runtime/0.4.0-arm64/bin/node\n' },
  reuseProbe: (active) => (active === '0.4.0-arm64' ? null : { kind: 'run', id: 'reuse-probe', title: 'Look', argv: ['sha256sum', '--', `/opt/edgedock/runtime/${active}/bin/node`], sudo: false }),
  // With something to reuse the plan links bin/node instead of uploading it.
  install: (reuse) => [
    stage,
    reuse
      ? { kind: 'run', id: REUSE_STEP_ID, title: 'Reuse 1 file', argv: ['env', '-C', `/opt/edgedock/runtime/${reuse.version}`, 'cp', '-l', '--parents', '-t', '/opt/edgedock/incoming/rt', '--', 'bin/node'], sudo: true }
      : { kind: 'upload', id: 'up', title: 'Upload bin/node', local: '/tmp/bundle/bin/node', remote: '/opt/edgedock/incoming/rt/bin/node', size: 3, sha256: 'abc', mode: 0o755 },
    move
  ],
  sendBytes: (reuse) => (reuse ? 0 : 3),
  activate: [{ kind: 'run', id: 'restart', title: 'Restart the inference service', argv: ['systemctl', 'restart', 'edgedock-inference.service'], sudo: true }],
  cleanup: [{ kind: 'run', id: 'drop', title: 'Remove the failed upload', argv: ['rm', '-rf', '--', '/opt/edgedock/incoming/rt'], sudo: true }]
}

/** A unit with just enough state for the plan: installed files, the current link, the unit enabled. */
function unit(state: { intact: boolean; current: string | null; enabled: boolean; failOn?: string }) {
  const calls: string[] = []
  const ok = (stdout = ''): RunResult => ({ code: 0, stdout, stderr: '' })
  const shell: RemoteShell = {
    async run(argv: string[], opts: RunOptions = {}) {
      calls.push(`${opts.sudo ? 'sudo ' : ''}${argv.join(' ')}`)
      if (state.failOn && argv.includes(state.failOn)) return { code: 1, stdout: '', stderr: 'mv: cannot move: No space left on device' }
      if (argv[0] === 'readlink') return state.current ? ok(`${state.current}\n`) : { code: 1, stdout: '', stderr: '' }
      if (argv[0] === 'systemctl' && argv[1] === 'is-enabled') return state.enabled ? ok('enabled\n') : { code: 1, stdout: 'disabled\n', stderr: '' }
      if (argv[0] === 'sha256sum') return state.intact ? ok() : { code: 1, stdout: '', stderr: 'sha256sum: /opt/...: No such file or directory' }
      if (argv[0] === 'mv') state.intact = true
      if (argv[1] === 'restart') Object.assign(state, { current: plan.version, enabled: true })
      return ok()
    },
    async upload(local, remote, opts) {
      calls.push(`upload ${local} -> ${remote} (${opts.mode.toString(8)})`)
    }
  }
  return { shell, calls, state }
}

const io = { signal: new AbortController().signal, log: () => undefined }

describe('runtimePlanInstaller', () => {
  it('installs a fresh unit, uploading through SFTP, then reports the version as installed', async () => {
    const installer = runtimePlanInstaller(plan)
    const u = unit({ intact: false, current: null, enabled: false })
    expect(await installer.installed(u.shell, io.signal)).toBeNull()
    expect(installer.wanted()).toBe('0.4.0-arm64')
    await installer.install(u.shell, io)
    expect(u.calls).toEqual([
      'readlink -- /opt/edgedock/runtime/current',
      'sha256sum --quiet --strict -c -',
      'readlink -- /opt/edgedock/runtime/current',
      'sudo install -d /opt/edgedock/incoming/rt',
      'upload /tmp/bundle/bin/node -> /opt/edgedock/incoming/rt/bin/node (755)',
      'sudo mv -T -- /opt/edgedock/incoming/rt /opt/edgedock/runtime/0.4.0-arm64',
      'sudo systemctl restart edgedock-inference.service'
    ])
    expect(await installer.installed(u.shell, io.signal)).toBe('0.4.0-arm64')
  })

  it('only activates a version that is on the unit but not in use', async () => {
    const installer = runtimePlanInstaller(plan)
    const u = unit({ intact: true, current: '0.3.0-arm64', enabled: true })
    expect(await installer.installed(u.shell, io.signal)).toBe('0.3.0-arm64')
    u.calls.length = 0
    await installer.install(u.shell, io)
    expect(u.calls).toEqual(['sha256sum --quiet --strict -c -', 'sudo systemctl restart edgedock-inference.service'])
  })

  it('says when the active version is damaged or its service is off', async () => {
    const installer = runtimePlanInstaller(plan)
    expect(await installer.installed(unit({ intact: false, current: plan.version, enabled: true }).shell, io.signal)).toBe('0.4.0-arm64 (damaged)')
    expect(await installer.installed(unit({ intact: true, current: plan.version, enabled: false }).shell, io.signal)).toBe('0.4.0-arm64 (service not enabled)')
  })

  it('links what the runtime in use has; when the links are refused it sends every file instead', async () => {
    const installer = runtimePlanInstaller(plan)
    const sizes: number[] = []
    const logs: string[] = []
    const linked = unit({ intact: false, current: '0.3.0-arm64', enabled: true })
    await installer.install(linked.shell, { ...io, onSendSize: (n) => sizes.push(n) })
    expect(linked.calls.filter((c) => /^(sudo env|upload)/.test(c))).toEqual(['sudo env -C /opt/edgedock/runtime/0.3.0-arm64 cp -l --parents -t /opt/edgedock/incoming/rt -- bin/node'])
    expect(sizes).toEqual([0])

    const refused = unit({ intact: false, current: '0.3.0-arm64', enabled: true, failOn: 'env' })
    await installer.install(refused.shell, { signal: io.signal, log: (t) => logs.push(t), onSendSize: (n) => sizes.push(n) })
    expect(refused.calls.filter((c) => /^(sudo env|upload|sudo mv)/.test(c))).toEqual([
      'sudo env -C /opt/edgedock/runtime/0.3.0-arm64 cp -l --parents -t /opt/edgedock/incoming/rt -- bin/node',
      'upload /tmp/bundle/bin/node -> /opt/edgedock/incoming/rt/bin/node (755)',
      'sudo mv -T -- /opt/edgedock/incoming/rt /opt/edgedock/runtime/0.4.0-arm64'
    ])
    expect(sizes).toEqual([0, 0, 3])
    expect(logs).toContain('Could not reuse files of runtime 0.3.0-arm64 (Reuse 1 file failed: mv: cannot move: No space left on device); sending every file')
  })

  it('removes a half-done upload when a step fails, and says which step', async () => {
    const installer = runtimePlanInstaller(plan)
    const u = unit({ intact: false, current: null, enabled: false, failOn: 'mv' })
    await expect(installer.install(u.shell, io)).rejects.toThrow('Move the runtime into place failed: mv: cannot move: No space left on device')
    expect(u.calls.at(-1)).toBe('sudo rm -rf -- /opt/edgedock/incoming/rt')
  })
})
