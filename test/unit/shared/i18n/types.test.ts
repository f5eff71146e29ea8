// The catalogue's types are the point: these calls must fail tsc. `@ts-expect-error` turns a check
// that stopped failing into a tsc error, so `npm run typecheck` guards them; vitest only runs the
// good calls.
import { describe, expect, it } from 'vitest'
import { translate } from '../../../../src/shared/i18n'
import type { SameVariables } from '../../../../src/shared/i18n/message'
import { text } from '../../../../src/shared/texts'

describe('catalogue types', () => {
  it('accept exactly the variables of the English message', () => {
    expect(translate('en', 'devices.added', { name: 'door-1' })).toBe('Added door-1')
    expect(translate('en', 'nav.devices')).toBe('Devices')
    expect(text('job.scan')).toEqual({ key: 'job.scan', params: {} })
  })

  it('reject a missing, misnamed or extra variable and an unknown key', () => {
    const wrongCalls = () => [
      // @ts-expect-error the variable is missing
      translate('en', 'devices.added'),
      // @ts-expect-error the variable is misnamed
      translate('en', 'devices.added', { nom: 'door-1' }),
      // @ts-expect-error one variable of two is missing
      translate('en', 'devices.countOf', { n: 1 }),
      // @ts-expect-error a message without variables takes none
      translate('en', 'nav.devices', { n: 1 }),
      // @ts-expect-error no such key
      translate('en', 'nav.nowhere'),
      // @ts-expect-error core texts are typed the same way
      text('job.push', { model: 'faces 3' })
    ]
    expect(typeof wrongCalls).toBe('function')
  })

  it('name a translation whose variables differ from the English', () => {
    const same: SameVariables<{ a: 'x {n}' }, { a: 'y {n}' }> = true
    // @ts-expect-error `{m}` is not the English `{n}`
    const differ: SameVariables<{ a: 'x {n}' }, { a: 'y {m}' }> = true
    // @ts-expect-error a plural's count variable counts as a variable
    const plural: SameVariables<{ a: { count: 'n'; one: 'one'; other: 'many' } }, { a: 'all' }> = true
    expect([same, differ, plural]).toEqual([true, true, true])
  })
})
