// English nouns change with the count but t() only substitutes numbers, so a string that puts a
// number straight before a plural noun reads "1 devices" for a single unit.
import { describe, expect, it } from 'vitest'
import { en } from '../../../../src/renderer/src/i18n/strings'

const fill = (s: string, n: number) => s.replace(/\{[a-zA-Z]+\}/g, String(n))

describe('English strings with a count', () => {
  it('read correctly for one unit', () => {
    const wrong = Object.entries(en)
      .filter(([, s]) => /\{[a-zA-Z]+\}/.test(s))
      .filter(([, s]) => /\b1 (devices|units|models|changes|jobs|versions|steps|items)\b/.test(fill(s, 1)))
      .map(([key, s]) => `${key}: ${fill(s, 1)}`)
    expect(wrong).toEqual([])
  })
})
