import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProfile, parseProfile, resolveUnits } from '../../../../../src/main/core/provision'
import { EdgeError } from '../../../../../src/shared/errors'
import { FakeDevice } from './fake-device'
import { PROFILES_DIR, runProfile } from './fixture'

const codeOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (e) {
    return e instanceof EdgeError ? { code: e.code, detail: e.detail } : { code: 'not EdgeError', detail: String(e) }
  }
  return { code: 'no error', detail: '' }
}

describe('profiles', () => {
  it('loads both built-in profiles', async () => {
    const door = await loadProfile('door-access-unit', PROFILES_DIR)
    const bench = await loadProfile('bench-node', PROFILES_DIR)
    expect(door.steps.map((s) => s.id)).toEqual([
      'authorized-key', 'hostname', 'timezone', 'locale', 'wifi', 'ssh-password-off', 'runtime', 'model', 'reboot', 'health'
    ])
    expect(bench.steps.map((s) => s.kind.kind)).toEqual(['authorized-key', 'hostname', 'runtime', 'cpu-governor'])
  })

  it("takes a benchmark step's sample set relative to the profile's folder, and refuses an accuracy gate without one", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'edgedock-profile-'))
    const write = (name: string, bench: string[]) => {
      const file = path.join(dir, name)
      writeFileSync(file, ['name: gate', 'steps:', '  - kind: benchmark', ...bench.map((l) => `    ${l}`), ''].join('\n'))
      return file
    }
    const good = await loadProfile(write('good.yaml', ['samples: sets/digits.json', 'gates:', '  minTop1: 97']), PROFILES_DIR)
    const [unit] = resolveUnits(good, [{ target: 'a', vars: {} }])
    expect(unit?.steps[0]?.params).toMatchObject({ samples: path.join(dir, 'sets/digits.json'), gates: { minTop1: 97 } })
    const bad = await loadProfile(write('bad.yaml', ['gates:', '  minTop1: 97']), PROFILES_DIR)
    expect(codeOf(() => resolveUnits(bad, [{ target: 'a', vars: {} }])).detail).toMatch(/step benchmark: gates .*minTop1, which needs `samples`/)
  })

  it('says which profile name it does not know', async () => {
    await expect(loadProfile('door-acess-unit', PROFILES_DIR)).rejects.toMatchObject({ code: 'PROFILE_NOT_FOUND', detail: 'door-acess-unit' })
  })

  it.each([
    ['not YAML', 'name: [x', /name|flow|collection|end/i],
    ['an unknown step kind', 'name: p\nsteps:\n  - kind: format-disk\n', /unknown kind "format-disk"/],
    ['a misspelt parameter', 'name: p\nsteps:\n  - kind: hostname\n    hostnme: x\n', /no parameter "hostnme"/],
    ['an undeclared placeholder', 'name: p\nsteps:\n  - kind: hostname\n    hostname: "door-{site}"\n', /\{site\}, which is not a declared variable/],
    ['a template loop', 'name: p\nvariables:\n  a: { default: "{b}" }\n  b: { default: "{a}" }\nsteps:\n  - kind: timezone\n    timezone: Etc/UTC\n', /loop: a -> b -> a/],
    ['no steps', 'name: p\nsteps: []\n', /at least one step/],
    ['a bad variable type', 'name: p\nvariables:\n  x: { type: number }\nsteps:\n  - kind: runtime\n', /variables\.x\.type/]
  ])('rejects a profile with %s, naming the problem', (_what, yaml, message) => {
    const r = codeOf(() => parseProfile(yaml, 'test.yaml'))
    expect(r.code).toBe('PROFILE_INVALID')
    expect(r.detail).toMatch(message)
    expect(r.detail).toMatch(/^test\.yaml: /)
  })
})

describe('variables and templates', () => {
  it('expands door-{site}-{unit} per unit, into the hostname and the reboot check', async () => {
    const profile = await loadProfile('door-access-unit', PROFILES_DIR)
    const [a, b] = resolveUnits(profile, [
      { target: 'pi@10.0.0.11', vars: { site: 'hq', unit: '01' } },
      { target: 'pi@10.0.0.12', vars: { site: 'hq', unit: '02', timezone: 'Europe/Berlin' } }
    ])
    expect(a?.vars.hostname).toBe('door-hq-01')
    expect(b?.vars.hostname).toBe('door-hq-02')
    expect(a?.steps.find((s) => s.id === 'reboot')?.params).toMatchObject({ hostname: 'door-hq-01' })
    expect(b?.steps.find((s) => s.id === 'timezone')?.title).toBe('Time zone Europe/Berlin')
  })

  it('lets a unit value win over the shared --var value', async () => {
    const profile = await loadProfile('door-access-unit', PROFILES_DIR)
    const [u] = resolveUnits(profile, [{ target: 'a', vars: { unit: '07' } }], { site: 'hq', unit: '01' })
    expect(u?.vars.hostname).toBe('door-hq-07')
  })

  it.each([
    ['hostname', 'door;reboot', /variable "hostname": "door;reboot" contains the shell character ";"/],
    ['hostname', 'door-$(id)', /shell character "\$"/],
    ['hostname', 'door-`id`', /shell character "`"/],
    ['hostname', 'door\nx', /control character U\+000a/],
    ['hostname', "door'x", /shell character "'"/],
    ['hostname', '-door', /RFC 1123/],
    ['hostname', 'door.hq', /RFC 1123/],
    ['hostname', 'd'.repeat(64), /RFC 1123/],
    ['hostname', 'dóor', /RFC 1123/],
    ['timezone', 'Europe/Berlin; rm -rf /', /shell character ";"/],
    ['wifi_ssid', 'cafe && reboot', /shell character "&"/],
    ['site', 'HQ', /does not match the pattern/]
  ])('rejects %s = %j before anything runs, naming the variable', async (name, value, message) => {
    const device = new FakeDevice()
    const vars: Record<string, string> = { site: 'hq', unit: '01', [name]: value }
    const run = runProfile('door-access-unit', { 'pi@10.0.0.11': device }, { vars })
    await expect(run).rejects.toMatchObject({ code: 'PROFILE_VARIABLE_INVALID' })
    await run.catch((e: EdgeError) => expect(e.detail).toMatch(message))
    expect(device.commands).toEqual([])
  })

  it('rejects a hostname template that expands to something that is not a host name', async () => {
    const profile = await loadProfile('door-access-unit', PROFILES_DIR)
    const r = codeOf(() => resolveUnits(profile, [{ target: 'a', vars: { site: 'hq', unit: '01', hostname: 'door_hq' } }]))
    expect(r).toMatchObject({ code: 'PROFILE_VARIABLE_INVALID' })
    expect(r.detail).toMatch(/variable "hostname": "door_hq" is not a valid host name/)
  })

  it('never echoes a secret in a validation error', async () => {
    const profile = await loadProfile('door-access-unit', PROFILES_DIR)
    const r = codeOf(() => resolveUnits(profile, [{ target: 'a', vars: { site: 'hq', unit: '1', wifi_ssid: 'x', wifi_psk: 'hunter2$secret' } }]))
    expect(r.detail).toMatch(/wifi_psk/)
    expect(r.detail).not.toContain('hunter2')
    const short = codeOf(() => resolveUnits(profile, [{ target: 'a', vars: { site: 'hq', unit: '1', wifi_ssid: 'x', wifi_psk: 'short7!'.replace('!', '') } }]))
    expect(short.detail).toMatch(/psk .*8 to 63/)
    expect(short.detail).not.toContain('short7')
  })

  it('names an unknown or a missing variable', async () => {
    const profile = await loadProfile('door-access-unit', PROFILES_DIR)
    expect(codeOf(() => resolveUnits(profile, [{ target: 'a', vars: { site: 'hq', unit: '1', hostnme: 'x' } }])).detail).toMatch(
      /variable "hostnme" is not used by profile door-access-unit/
    )
    expect(codeOf(() => resolveUnits(profile, [{ target: 'a', vars: { unit: '1' } }])).detail).toMatch(/unit a: variable "site" needs a value/)
  })

  it('lists every bad unit in one error', async () => {
    const profile = await loadProfile('bench-node', PROFILES_DIR)
    const r = codeOf(() =>
      resolveUnits(profile, [
        { target: 'a', vars: { hostname: 'bench-01' } },
        { target: 'b', vars: { hostname: 'bench 02' } },
        { target: 'c', vars: { hostname: 'bench-03', governor: 'turbo' } }
      ])
    )
    expect(r.detail).toMatch(/unit b: .*hostname/)
    expect(r.detail).toMatch(/unit c: variable "governor": "turbo" is not one of performance/)
  })
})
