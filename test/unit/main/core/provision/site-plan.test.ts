import { describe, expect, it } from 'vitest'
import { loadProfile, parseSitePlan, resolveUnits } from '../../../../../src/main/core/provision'
import { EdgeError } from '../../../../../src/shared/errors'
import { PROFILES_DIR } from './fixture'

const detailOf = (fn: () => unknown) => {
  try {
    fn()
  } catch (e) {
    if (e instanceof EdgeError) return `${e.code}: ${e.detail}`
    throw e
  }
  return 'no error'
}

describe('site plan CSV', () => {
  it('reads one unit per row, by address or by inventory name, with line numbers', () => {
    const csv = '\ufefftarget,device,site,unit,timezone\r\npi@10.77.0.11,,hq,01,Europe/Berlin\r\n# a comment line\r\n,"Door 2 (lobby)",hq,02,\r\n\r\n'
    expect(parseSitePlan(csv)).toEqual([
      { target: 'pi@10.77.0.11', ref: 'target', vars: { site: 'hq', unit: '01', timezone: 'Europe/Berlin' }, line: 2 },
      // An empty cell means "use the profile's default".
      { target: 'Door 2 (lobby)', ref: 'device', vars: { site: 'hq', unit: '02' }, line: 4 }
    ])
  })

  it.each([
    ['a row with no unit', 'target,site\npi@10.0.0.1,hq\n,hq\n', /SITE_PLAN_INVALID: line 3: no "target" or "device" given/],
    ['a bad address', 'target,site\npi@10.0.0.1;reboot,hq\n', /line 2: "10\.0\.0\.1;reboot" is not a valid host name or address/],
    ['both columns filled', 'target,device,site\npi@10.0.0.1,door-1,hq\n', /line 2: fill in "target" or "device", not both/],
    ['a ragged row', 'target,site\npi@10.0.0.1,hq,extra\n', /SITE_PLAN_INVALID: line 2: .*/],
    ['no rows', 'target,site\n', /it has no rows/]
  ])('rejects %s, naming the line', (_what, csv, message) => {
    expect(detailOf(() => parseSitePlan(csv))).toMatch(message)
  })

  it('checks each row against the profile and names the line of a bad value', async () => {
    const profile = await loadProfile('door-access-unit', PROFILES_DIR)
    const rows = parseSitePlan('target,site,unit\npi@10.0.0.1,hq,01\npi@10.0.0.2,hq,0$2\npi@10.0.0.3,hq,03,\n'.replace(',03,\n', ',03\n'))
    expect(detailOf(() => resolveUnits(profile, rows))).toBe('SITE_PLAN_INVALID: line 3, unit pi@10.0.0.2: variable "unit": "0$2" contains the shell character "$"')
  })

  it('rejects a column that is not a variable of the profile', async () => {
    const profile = await loadProfile('door-access-unit', PROFILES_DIR)
    const rows = parseSitePlan('target,site,unit,hostnam\npi@10.0.0.1,hq,01,door-x\n')
    expect(detailOf(() => resolveUnits(profile, rows))).toMatch(/line 2, unit pi@10\.0\.0\.1: variable "hostnam" is not used by profile door-access-unit/)
  })

  it('rejects the same unit twice', async () => {
    const profile = await loadProfile('door-access-unit', PROFILES_DIR)
    const rows = parseSitePlan('target,site,unit\npi@10.0.0.1,hq,01\npi@10.0.0.1,hq,02\n')
    expect(detailOf(() => resolveUnits(profile, rows))).toMatch(/line 3, unit pi@10\.0\.0\.1: is listed twice/)
  })
})
