import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatFleetResult, loadProfile, parseVarArgs, resolveUnits } from '../../../../../src/main/core/provision'
import { FakeDevice } from './fake-device'
import { PROFILES_DIR, runProfile } from './fixture'

describe('--var k=v', () => {
  it('splits at the first "=" and keeps the rest of the value', () => {
    expect(parseVarArgs(['site=hq', 'wifi_ssid=Site=Net', 'model='])).toEqual({ site: 'hq', wifi_ssid: 'Site=Net', model: '' })
  })
  it.each([['site'], ['=hq'], ['si te=hq'], ['site=a', 'site=b']])('rejects %j', (...args) => {
    expect(() => parseVarArgs(args)).toThrow(expect.objectContaining({ code: 'PROFILE_VARIABLE_INVALID' }))
  })
})

describe('hostile values, generated', () => {
  it('rejects any value with a shell character for every variable, before anything runs', async () => {
    const profile = await loadProfile('door-access-unit', PROFILES_DIR)
    const names = Object.keys(profile.variables)
    const shellChar = fc.constantFrom(...'`$;&|<>\\\'"(){}[]*?!#~^\n\r\t\u0000'.split(''))
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.string({ maxLength: 10 }), shellChar, fc.string({ maxLength: 10 }), (name, a, c, b) => {
        const vars = { site: 'hq', unit: '01', wifi_ssid: 'net', wifi_psk: 'passphrase1', [name]: `${a}${c}${b}` }
        expect(() => resolveUnits(profile, [{ target: 'pi@10.0.0.1', vars }])).toThrow(
          expect.objectContaining({ code: 'PROFILE_VARIABLE_INVALID', detail: expect.stringContaining(`variable "${name}"`) })
        )
      }),
      { numRuns: 300 }
    )
  })
})

describe('formatted result', () => {
  it('shows the per-device diff a technician reads before saying yes', async () => {
    const devices = { 'pi@10.77.0.11': new FakeDevice(), 'pi@10.77.0.12': new FakeDevice({ hostname: 'bench-02', cpus: 2 }) }
    const { result } = await runProfile('bench-node', devices, {
      units: [
        { target: 'pi@10.77.0.11', vars: { hostname: 'bench-01' }, line: 2 },
        { target: 'pi@10.77.0.12', vars: { hostname: 'bench-02' }, line: 3 }
      ],
      dryRun: true
    })
    const text = formatFleetResult(result)
    expect(text).toContain('pi@10.77.0.11 (line 2): would change, 4 changes')
    expect(text).toContain('  ~ hostname: raspberrypi -> bench-01')
    expect(text).toContain('  - CPU governor performance: skipped (this unit has no CPU frequency control (cpufreq), as in a virtual machine)')
    expect(text).toContain('  ~ governor cpu1: ondemand -> performance')
    expect(text).toContain('would run: restart-inference')
    expect(text.split('\n').at(-1)).toBe('Dry run bench-node: 2 units, 2 would change, 0 without changes, 0 failed; 8 changes in all')
  })
})
