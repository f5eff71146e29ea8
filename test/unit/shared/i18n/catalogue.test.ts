// The catalogues: Chinese says the same things as English (same keys, same variables), plurals pick
// the right form, and text made in core reads in the UI's language.
import { describe, expect, it } from 'vitest'
import { catalogues, languages, translate, variablesOf, type MessageKey } from '../../../../src/shared/i18n'
import { en } from '../../../../src/shared/i18n/en'
import { zh } from '../../../../src/shared/i18n/zh'
import { formatMessage } from '../../../../src/shared/i18n/message'
import { englishOf, formatText, text, textOr } from '../../../../src/shared/texts'

const keys = Object.keys(en) as MessageKey[]

describe('catalogues', () => {
  it('have the same keys in every language', () => {
    expect(Object.keys(zh).sort()).toEqual([...keys].sort())
  })

  it('give every Chinese entry the variables of the English one', () => {
    const differ = keys.filter((k) => variablesOf(zh[k]).join() !== variablesOf(en[k]).join())
    expect(differ).toEqual([])
  })

  it('have Chinese wording for every entry that is more than a name', () => {
    const untranslated = keys.filter((k) => {
      const s = formatMessage(zh[k], 'zh')
      return /[a-z]{3,} [a-z]{3,} [a-z]{3,}/.test(s.replace(/"[^"]*"|\([^)]*\)|（[^）]*）|edgedock [a-z -]+/gi, '')) && !/[\u4e00-\u9fff]/.test(s)
    })
    expect(untranslated).toEqual([])
  })

  it('give every English plural a singular and a plural form', () => {
    for (const k of keys) {
      const m = en[k]
      if (typeof m === 'string') continue
      expect(m, k).toHaveProperty('one')
      expect(m, k).toHaveProperty('other')
    }
  })
})

describe('plurals', () => {
  const cases: [MessageKey, Record<string, number>, Record<'en' | 'zh', string>][] = [
    ['devices.count', { n: 0 }, { en: '0 devices', zh: '0 台设备' }],
    ['devices.count', { n: 1 }, { en: '1 device', zh: '1 台设备' }],
    ['devices.count', { n: 2 }, { en: '2 devices', zh: '2 台设备' }],
    ['devices.countOf', { n: 0, total: 1 }, { en: '0 of 1 device', zh: '0/1 台设备' }],
    ['devices.countOf', { n: 1, total: 2 }, { en: '1 of 2 devices', zh: '1/2 台设备' }],
    ['time.minutesAgo', { n: 1 }, { en: '1 minute ago', zh: '1 分钟前' }],
    ['time.minutesAgo', { n: 2 }, { en: '2 minutes ago', zh: '2 分钟前' }],
    ['prov.changes', { n: 0 }, { en: '0 changes', zh: '0 项更改' }],
    ['prov.changes', { n: 1 }, { en: '1 change', zh: '1 项更改' }],
    ['prov.changes', { n: 2 }, { en: '2 changes', zh: '2 项更改' }],
    ['prov.unitCount', { n: 1 }, { en: '1 unit chosen', zh: '已选 1 台设备' }],
    ['prov.unitCount', { n: 2 }, { en: '2 units chosen', zh: '已选 2 台设备' }],
    ['prov.apply', { n: 1 }, { en: 'Apply the changes to 1 unit', zh: '应用到 1 台设备' }],
    ['job.devicesCheck', { n: 1 }, { en: 'Check 1 device', zh: '检查 1 台设备' }],
    ['job.devicesCheck', { n: 0 }, { en: 'Check 0 devices', zh: '检查 0 台设备' }]
  ]
  for (const [key, vars, want] of cases) {
    for (const lang of languages) {
      it(`${key} ${JSON.stringify(vars)} in ${lang}`, () => {
        expect(formatMessage(catalogues[lang][key], lang, vars)).toBe(want[lang])
      })
    }
  }

  it('never put 1 before a plural noun in English', () => {
    const one = (k: MessageKey) => Object.fromEntries(variablesOf(en[k]).map((v) => [v, 1]))
    const wrong = keys
      .map((k) => [k, formatMessage(en[k], 'en', one(k))] as const)
      .filter(([, s]) => /\b1 (devices|units|models|changes|jobs|versions|steps|items|minutes|seconds|hours)\b/.test(s))
    expect(wrong).toEqual([])
  })
})

describe('errors in the catalogue', () => {
  it('keep a detail the same way in both languages', () => {
    for (const k of keys.filter((k) => k.startsWith('error.'))) {
      expect(variablesOf(en[k]).every((v) => v === 'detail'), k).toBe(true)
    }
  })
})

describe('text made in core', () => {
  it('reads in Chinese on the Chinese pages and in English for the CLI', () => {
    const title = text('job.dryRun', { profile: 'bench-node', where: 'bench-a' })
    expect(englishOf(title)).toBe('Dry run bench-node on bench-a')
    expect(formatText(title, 'zh')).toBe('在 bench-a 上预演 bench-node')
    const many = text('job.push', { model: 'faces 3', where: text('units.n', { n: 3 }) })
    expect(formatText(many, 'en')).toBe('Push faces 3 to 3 units')
    expect(formatText(many, 'zh')).toBe('推送 faces 3 到 3 台设备')
  })

  it('words a text nested in another (a step on one of several units)', () => {
    const step = text('step.onUnit', { unit: 'lab-1', step: text('step.connect', { target: 'pi@10.0.0.5' }) })
    expect(formatText(step, 'en')).toBe('lab-1: Connect to pi@10.0.0.5')
    expect(formatText(step, 'zh')).toBe('lab-1：连接 pi@10.0.0.5')
  })

  it('falls back for a key this EdgeDock does not know (a newer one wrote it)', () => {
    const future = { key: 'job.fromTheFuture', params: { n: 2 } }
    expect(formatText(future, 'zh')).toBe('job.fromTheFuture')
    expect(textOr(future, 'Stored English title', 'zh')).toBe('Stored English title')
    expect(textOr(null, 'Older row', 'zh')).toBe('Older row')
    expect(textOr(text('note.noCpufreq'), 'x', 'zh')).toBe('此设备没有 CPU 频率控制（cpufreq），例如虚拟机')
  })

  it('leaves a variable without a value as written', () => {
    expect(formatMessage('{a} and {b}', 'en', { a: 1 })).toBe('1 and {b}')
    expect(translate('en', 'error.SAMPLES_INVALID', { detail: 'no rows' })).toContain('JSON {"inputs": [[numbers]]')
  })
})
