// Forty Pis on a bench: a cap on units in flight, a failure threshold, and "retry failed".
import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { loadProfile, resolveUnits, runFleet, unitsToRetry } from '../../../../../src/main/core/provision'
import { FakeDevice, fakeRuntimeInstaller } from './fake-device'
import { PROFILES_DIR, PUBLIC_KEY, runProfile } from './fixture'

const bench = (n: number, opts: ConstructorParameters<typeof FakeDevice>[0] = {}) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`pi@10.77.0.${10 + i}`, new FakeDevice(opts)]))
const unitsOf = (devices: Record<string, FakeDevice>) =>
  Object.keys(devices).map((target, i) => ({ target, vars: { hostname: `bench-${String(i + 1).padStart(2, '0')}` } }))

describe('fleet', () => {
  it('keeps at most `concurrency` units in flight and reports each unit live', async () => {
    const devices = bench(7, { delayMs: 1 })
    let inFlight = 0
    let peak = 0
    const profile = await loadProfile('bench-node', PROFILES_DIR)
    const events: string[] = []
    const result = await runFleet({
      profile: profile.name,
      units: resolveUnits(profile, unitsOf(devices)),
      dryRun: false,
      concurrency: 3,
      connect: async (t) => {
        peak = Math.max(peak, ++inFlight)
        const d = devices[t] as FakeDevice
        return { run: (argv, o) => d.run(argv, o), reconnect: () => d.reconnect(), close: async () => void inFlight-- }
      },
      ports: { runtime: fakeRuntimeInstaller() },
      publicKey: PUBLIC_KEY,
      onEvent: (e) => events.push(`${e.type}${'target' in e ? ` ${e.target}` : ''}`)
    })
    expect(peak).toBe(3)
    expect(inFlight).toBe(0)
    expect(result.summary).toMatchObject({ total: 7, changed: 7, failed: 0 })
    expect(events.filter((e) => e.startsWith('unit-finished'))).toHaveLength(7)
    expect(events.filter((e) => e.startsWith('step-finished pi@10.77.0.12'))).toHaveLength(4)
    expect(Object.values(devices).map((d) => d.hostname)).toEqual(['bench-01', 'bench-02', 'bench-03', 'bench-04', 'bench-05', 'bench-06', 'bench-07'])
  })

  it('stops starting units once more than max-fail have failed', async () => {
    const devices = bench(8)
    const down = new Set(['pi@10.77.0.10', 'pi@10.77.0.11', 'pi@10.77.0.12'])
    const { result, events } = await runProfile('bench-node', devices, { units: unitsOf(devices), concurrency: 1, maxFail: 1, connectFails: down })
    expect(result.stoppedEarly).toBe(true)
    expect(result.error?.code).toBe('PROVISION_MAX_FAILURES')
    // 10 and 11 fail (2 > 1): 12 and the rest never start.
    expect(result.units.map((u) => u.status)).toEqual(['failed', 'failed', 'not-started', 'not-started', 'not-started', 'not-started', 'not-started', 'not-started'])
    expect(result.units[0]?.error?.code).toBe('HOST_UNREACHABLE')
    expect(events.filter((e) => e.type === 'fleet-stopped')).toEqual([{ type: 'fleet-stopped', failed: 2, maxFail: 1 }])
    for (const d of Object.values(devices)) expect(d.commands).toEqual([])
  })

  it('lets units already running finish when the threshold is crossed', async () => {
    const devices = bench(4, { delayMs: 1 })
    const { result } = await runProfile('bench-node', devices, { units: unitsOf(devices), concurrency: 2, maxFail: 0, connectFails: new Set(['pi@10.77.0.10']) })
    expect(result.units.map((u) => u.status)).toEqual(['failed', 'changed', 'not-started', 'not-started'])
    expect(result.summary).toMatchObject({ failed: 1, changed: 1, notStarted: 2 })
  })

  it('retry failed re-runs only the failed and not-started units', async () => {
    const devices = bench(5)
    const units = unitsOf(devices)
    const first = await runProfile('bench-node', devices, { units, concurrency: 1, maxFail: 1, connectFails: new Set(['pi@10.77.0.11', 'pi@10.77.0.12']) })
    expect(first.result.units.map((u) => u.status)).toEqual(['changed', 'failed', 'failed', 'not-started', 'not-started'])

    const before = Object.fromEntries(Object.entries(devices).map(([t, d]) => [t, d.commands.length]))
    const retry = unitsToRetry(first.result, units)
    expect(retry.map((u) => u.target)).toEqual(['pi@10.77.0.11', 'pi@10.77.0.12', 'pi@10.77.0.13', 'pi@10.77.0.14'])
    const second = await runProfile('bench-node', devices, { units: retry })
    expect(second.result.units.map((u) => [u.target, u.status])).toEqual([
      ['pi@10.77.0.11', 'changed'],
      ['pi@10.77.0.12', 'changed'],
      ['pi@10.77.0.13', 'changed'],
      ['pi@10.77.0.14', 'changed']
    ])
    // The unit that had succeeded was not contacted again.
    expect(devices['pi@10.77.0.10']?.commands.length).toBe(before['pi@10.77.0.10'])
  })

  it('a failing unit does not stop the others when no threshold is set', async () => {
    const devices = bench(3)
    ;(devices['pi@10.77.0.11'] as FakeDevice).failWhen = (argv) => (argv[0] === 'hostnamectl' ? { code: 1, stdout: '', stderr: 'Could not set static hostname: Read-only file system' } : undefined)
    const { result } = await runProfile('bench-node', devices, { units: unitsOf(devices) })
    expect(result.units.map((u) => u.status)).toEqual(['changed', 'failed', 'changed'])
    expect(result.units[1]?.error?.detail).toMatch(/^Hostname bench-02: Could not set the hostname to bench-02 \(the unit said: Could not set static hostname: Read-only file system\)/)
    expect(result.stoppedEarly).toBe(false)
  })
})

describe('bench-node', () => {
  it('skips the CPU governor on a virtual machine with a note, and is idempotent', async () => {
    const devices = bench(1)
    const units = unitsOf(devices)
    const first = await runProfile('bench-node', devices, { units })
    expect(first.result.units[0]?.steps.find((s) => s.id === 'cpu-governor')).toMatchObject({
      status: 'skipped',
      note: 'this unit has no CPU frequency control (cpufreq), as in a virtual machine'
    })
    const again = await runProfile('bench-node', devices, { units })
    expect(again.result.units[0]).toMatchObject({ status: 'unchanged', changes: 0 })
  })

  it('sets every CPU to the performance governor where cpufreq exists', async () => {
    const devices = bench(1, { cpus: 4 })
    const units = unitsOf(devices)
    const dry = await runProfile('bench-node', devices, { units, dryRun: true })
    expect(dry.result.units[0]?.steps.find((s) => s.id === 'cpu-governor')?.changes).toEqual(
      [0, 1, 2, 3].map((i) => ({ field: `governor cpu${i}`, from: 'ondemand', to: 'performance' }))
    )
    await runProfile('bench-node', devices, { units })
    const device = devices['pi@10.77.0.10'] as FakeDevice
    expect(device.governors).toEqual(['performance', 'performance', 'performance', 'performance'])
    const n = device.commands.length
    const again = await runProfile('bench-node', devices, { units })
    expect(again.result.units[0]?.changes).toBe(0)
    expect(device.commands.slice(n).filter((c) => c.mutating)).toEqual([])
  })

  it('units listen on signals of their own: a wide fleet adds no listeners to the job signal, and cancelling still reaches every unit', async () => {
    const devices = bench(16, { delayMs: 5 })
    const job = new AbortController()
    let jobListeners = 0
    const unitSignals: AbortSignal[] = []
    const profile = await loadProfile('bench-node', PROFILES_DIR)
    const run = runFleet({
      profile: profile.name,
      units: resolveUnits(profile, unitsOf(devices)),
      dryRun: false,
      concurrency: 16,
      signal: job.signal,
      connect: async (t, signal) => {
        // As an SSH session does: it watches the signal it is given for as long as it lives.
        signal.addEventListener('abort', () => undefined)
        unitSignals.push(signal)
        jobListeners = Math.max(jobListeners, getEventListeners(job.signal, 'abort').length)
        const d = devices[t] as FakeDevice
        return { run: (argv, o) => d.run(argv, o), reconnect: () => d.reconnect(), close: async () => undefined }
      },
      ports: { runtime: fakeRuntimeInstaller() },
      publicKey: PUBLIC_KEY
    })
    await new Promise((r) => setTimeout(r, 20))
    job.abort()
    const result = await run
    // Node warns ("possible EventTarget memory leak") past 10 listeners on one signal.
    expect(jobListeners).toBeLessThanOrEqual(10)
    expect(unitSignals).toHaveLength(16)
    expect(unitSignals.every((s) => s.aborted)).toBe(true)
    expect(result.units.every((u) => u.status === 'cancelled')).toBe(true)
  })
})
