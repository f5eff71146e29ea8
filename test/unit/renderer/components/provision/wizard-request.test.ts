// "Retry failed" must run exactly the failed units again: inventory names, typed targets and site
// plan rows (by their line, which must stay the same so messages still point at the right row).
import { parseSitePlan } from '../../../../../src/main/core/provision/site-plan'
import { describe, expect, it } from 'vitest'
import { narrowUnits, provisionRequest } from '../../../../../src/renderer/src/components/provision/wizard-request'

const plan = '# site hq\ntarget,site,unit\npi@127.0.0.1:22201,hq,01\npi@127.0.0.1:22202,hq,02\npi@127.0.0.1:22203,hq,03\n'
const units = { devices: ['lab-1', 'lab-2'], typed: 'pi@127.0.0.2:22\npi@127.0.0.3:22', sitePlan: { file: 'plan.csv', text: plan }, password: 'pw', identity: null }

describe('narrowUnits', () => {
  it('keeps only the failed units, site plan rows on their original lines', () => {
    const again = narrowUnits(units, [{ target: 'lab-2' }, { target: 'pi@127.0.0.3:22' }, { target: 'pi@127.0.0.1:22202', line: 4 }])
    expect(again.devices).toEqual(['lab-2'])
    expect(again.typed).toBe('pi@127.0.0.3:22')
    const rows = parseSitePlan(again.sitePlan?.text ?? '')
    expect(rows.map((r) => [r.target, r.line, r.vars])).toEqual([['pi@127.0.0.1:22202', 4, { site: 'hq', unit: '02' }]])
    expect(again.password).toBe('pw')
  })

  it('drops the site plan when none of its rows failed', () => {
    expect(narrowUnits(units, [{ target: 'lab-1' }]).sitePlan).toBeNull()
  })
})

describe('provisionRequest', () => {
  it('sends empty fields as "use the default" (not sent) and the password only when typed', () => {
    const req = provisionRequest({ ...units, sitePlan: null, password: '' }, 'door-access-unit', { site: 'hq', hostname: '' }, true)
    expect(req).toEqual({ targets: ['lab-1', 'lab-2', 'pi@127.0.0.2:22', 'pi@127.0.0.3:22'], profile: 'door-access-unit', vars: { site: 'hq' }, dryRun: true })
  })
})
