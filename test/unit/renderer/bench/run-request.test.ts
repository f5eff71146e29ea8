import { describe, expect, it } from 'vitest'
import { parseList, startRequest, type RunFormValues } from '../../../../src/renderer/src/components/bench/run-request'
import { benchStartInputSchema } from '../../../../src/shared/bench-run'

const form = (over: Partial<RunFormValues> = {}): RunFormValues => ({
  targets: ['host'],
  models: ['digits@1'],
  preset: 'quick',
  threads: '1, 2,4',
  batch: '1',
  repeat: '3',
  profileOps: false,
  digits: false,
  label: '',
  ...over
})

describe('parseList', () => {
  it('reads a comma list of whole numbers, dropping repeats', () => {
    expect(parseList('1, 2,4,2', 0, 64)).toEqual([1, 2, 4])
  })
  it('refuses empty lists, fractions, signs, values out of range and overlong lists', () => {
    expect(parseList(' , ', 0, 64)).toBeNull()
    expect(parseList('1.5', 0, 64)).toBeNull()
    expect(parseList('-1', 0, 64)).toBeNull()
    expect(parseList('65', 0, 64)).toBeNull()
    expect(parseList('1,2,3,4,5,6,7,8,9', 0, 64)).toBeNull()
  })
})

describe('startRequest', () => {
  it('builds a request the contract accepts', () => {
    const r = startRequest(form({ digits: true, profileOps: true, label: '  fan off ' }))
    expect(r).toEqual({
      ok: true,
      input: { targets: ['host'], models: ['digits@1'], preset: 'quick', threads: [1, 2, 4], batch: [1], repeat: 3, profileOps: true, samples: { builtin: 'digits-100' }, label: 'fan off' }
    })
    if (r.ok) expect(benchStartInputSchema.safeParse(r.input).success).toBe(true)
  })
  it('names the first field that is wrong', () => {
    expect(startRequest(form({ targets: [] }))).toEqual({ ok: false, problem: 'targets' })
    expect(startRequest(form({ models: [] }))).toEqual({ ok: false, problem: 'models' })
    expect(startRequest(form({ threads: 'two' }))).toEqual({ ok: false, problem: 'threads' })
    expect(startRequest(form({ batch: '0' }))).toEqual({ ok: false, problem: 'batch' })
    expect(startRequest(form({ repeat: '1,2' }))).toEqual({ ok: false, problem: 'repeat' })
  })
})
