// When door-access-unit reboots (only for a step a reboot applies: the hostname) and what its health
// check accepts: "no model yet" when none is assigned, a healthy answer serving the model when one is.
import { describe, expect, it } from 'vitest'
import { formatFleetResult } from '../../../../../src/main/core/provision'
import type { RunResult } from '../../../../../src/main/core/provision'
import { FakeDevice } from './fake-device'
import { diffOf, runProfile } from './fixture'

const T = 'pi@10.77.0.11'
const VARS = { site: 'hq', unit: '01', timezone: 'Europe/Berlin', locale: 'C.UTF-8' }

/**
 * The inference agent's /health as curl on the unit prints it: the body on stdout, the status code
 * (the step's --write-out) on stderr; 503 with status no-model while nothing is loaded.
 */
function agentHealth(device: FakeDevice, opts: { loads?: boolean } = {}) {
  device.failWhen = (argv): RunResult | undefined => {
    if (argv[0] !== 'curl') return undefined
    if (device.services.get('edgedock-inference') !== 'active') return { code: 7, stdout: '', stderr: 'curl: (7) Failed to connect to localhost port 8080\nedgedock-http-code:000\n' }
    const ref = device.files.get('/opt/edgedock/models/current-name')?.trim()
    const [name, version] = (ref ?? '').split('@')
    const model = ref && opts.loads !== false ? { name, version, sha256: 'ab'.repeat(32) } : null
    const body = { status: model ? 'ok' : 'no-model', model, currentTarget: model ? version : null, lastLoadError: null, uptimeS: 3 }
    return { code: 0, stdout: JSON.stringify(body), stderr: `edgedock-http-code:${model ? 200 : 503}\n` }
  }
}

async function provisioned(vars: Record<string, string> = VARS) {
  const device = new FakeDevice()
  agentHealth(device)
  const first = await runProfile('door-access-unit', { [T]: device }, { vars })
  expect(first.result.units[0]?.error).toBeUndefined()
  return device
}

describe('reboot only for a step that needs one', () => {
  it('reboots a fresh unit once, for its new hostname, and plans that reboot in the dry run', async () => {
    const device = new FakeDevice()
    agentHealth(device)
    const dry = await runProfile('door-access-unit', { [T]: device }, { vars: VARS, dryRun: true })
    expect(diffOf(dry.result, T).at(-1)).toEqual({ step: 'reboot', changes: [{ field: 'reboot', from: 'running', to: 'rebooted' }] })
    const real = await runProfile('door-access-unit', { [T]: device }, { vars: VARS })
    expect(real.result.units[0]?.status).toBe('changed')
    expect(device.reboots).toBe(1)
    expect(real.log.some((l) => l.includes('Rebooting for: Hostname door-hq-01'))).toBe(true)
  })

  it('does not reboot for a model change alone', async () => {
    const device = await provisioned()
    const reboots = device.reboots
    const { result } = await runProfile('door-access-unit', { [T]: device }, { vars: { ...VARS, model: 'digits@1' } })
    expect(result.units[0]?.status).toBe('changed')
    expect(diffOf(result, T)).toEqual([{ step: 'model', changes: [{ field: 'model', from: null, to: 'digits@1' }] }])
    expect(result.units[0]?.steps.find((s) => s.id === 'reboot')?.status).toBe('unchanged')
    expect(device.reboots).toBe(reboots)
    expect(device.restarts.at(-1)).toBe('edgedock-inference')
  })

  it('does not reboot for a time zone change alone', async () => {
    const device = await provisioned()
    const reboots = device.reboots
    const { result } = await runProfile('door-access-unit', { [T]: device }, { vars: { ...VARS, timezone: 'Europe/London' } })
    expect(diffOf(result, T)).toEqual([{ step: 'timezone', changes: [{ field: 'time zone', from: 'Europe/Berlin', to: 'Europe/London' }] }])
    expect(device.reboots).toBe(reboots)
  })

  it('reboots again when only the hostname changes', async () => {
    const device = await provisioned()
    const { result } = await runProfile('door-access-unit', { [T]: device }, { vars: { ...VARS, unit: '02' } })
    expect(diffOf(result, T).map((d) => d.step)).toEqual(['hostname', 'reboot'])
    expect(device.reboots).toBe(2)
    expect(device.hostname).toBe('door-hq-02')
  })
})

describe('health check', () => {
  it('passes a running service with no model yet when none is assigned, and says so', async () => {
    const device = new FakeDevice()
    agentHealth(device)
    const { result } = await runProfile('door-access-unit', { [T]: device }, { vars: VARS })
    expect(result.units[0]?.status).toBe('changed')
    expect(result.units[0]?.steps.find((s) => s.id === 'health')).toEqual({
      id: 'health',
      kind: 'health',
      title: 'Health of edgedock-inference',
      titleText: { key: 'pstep.health', params: { service: 'edgedock-inference' } },
      status: 'unchanged',
      changes: [],
      note: 'edgedock-inference runs; no model yet (none assigned)'
    })
    expect(formatFleetResult(result)).toContain('  ✓ Health of edgedock-inference: edgedock-inference runs; no model yet (none assigned)')

    const again = await runProfile('door-access-unit', { [T]: device }, { vars: VARS })
    expect(again.result.units[0]).toMatchObject({ status: 'unchanged', changes: 0, handlers: [] })
    expect(device.reboots).toBe(1)
  })

  it('with a model assigned, passes only when the service serves it', async () => {
    const device = await provisioned({ ...VARS, model: 'digits@1' })
    const again = await runProfile('door-access-unit', { [T]: device }, { vars: { ...VARS, model: 'digits@1' } })
    expect(again.result.units[0]).toMatchObject({ status: 'unchanged', changes: 0 })
    expect(again.result.units[0]?.steps.find((s) => s.id === 'health')?.note).toBe('edgedock-inference runs and serves digits@1')
  })

  it('with a model assigned, fails when the service still has no model', async () => {
    const device = new FakeDevice()
    agentHealth(device, { loads: false })
    const { result } = await runProfile('door-access-unit', { [T]: device }, { vars: { ...VARS, model: 'digits@1' } })
    expect(result.units[0]?.status).toBe('failed')
    expect(result.units[0]?.steps.at(-1)).toMatchObject({ id: 'health', status: 'failed' })
    expect(result.units[0]?.error?.detail).toMatch(
      /^Health of edgedock-inference: The service edgedock-inference runs but http:\/\/localhost:8080\/health does not serve digits@1 \(HTTP 503, status no-model, serving nothing\)/
    )
    // The marker the step adds for the status code is not quoted as if the unit had said it.
    expect(result.units[0]?.error?.detail).not.toContain('edgedock-http-code')
  })

  it('fails a service that does not answer at all, model or not', async () => {
    const device = new FakeDevice()
    agentHealth(device)
    const base = device.failWhen
    device.failWhen = (argv) => (argv[0] === 'curl' ? { code: 7, stdout: '', stderr: 'curl: (7) Failed to connect to localhost port 8080\nedgedock-http-code:000\n' } : base?.(argv))
    const { result } = await runProfile('door-access-unit', { [T]: device }, { vars: VARS })
    expect(result.units[0]?.error?.detail).toBe(
      'Health of edgedock-inference: The service edgedock-inference runs but http://localhost:8080/health did not answer (the unit said: curl: (7) Failed to connect to localhost port 8080)'
    )
  })
})
