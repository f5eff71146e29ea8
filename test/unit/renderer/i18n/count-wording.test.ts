// English nouns change with the count but t() only substitutes numbers, so a string that puts a
// number straight before a plural noun must have a "…One" sibling that the page uses for one.
// "{n} of {total}" counts the total, which is never one when a filter hides some.
import { describe, expect, it } from 'vitest'
import { en } from '../../../../src/renderer/src/i18n/strings'

const fill = (s: string) => s.replace(/\{total\}/g, '2').replace(/\{[a-zA-Z]+\}/g, '1')
const strings = en as Record<string, string>

describe('English strings with a count', () => {
  it('read correctly for one unit', () => {
    const wrong = Object.entries(strings)
      .filter(([, s]) => /\{[a-zA-Z]+\}/.test(s))
      .map(([key, s]): [string, string] => [key, `${key}One` in strings ? strings[`${key}One`]! : fill(s)])
      .filter(([, s]) => /\b1 (devices|units|models|changes|jobs|versions|steps|items)\b/.test(s))
      .map(([key, s]) => `${key}: ${s}`)
    expect(wrong).toEqual([])
  })

  it('has the singular the Devices page shows for one unit', () => {
    expect(strings['devices.countOne']).toBe('1 device')
  })
})
