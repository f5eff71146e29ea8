// What the pages say with a number or a core-made text, in both languages: relative times use real
// plurals, and a job title made in core reads in Chinese on the Chinese pages, else stays English.
import { describe, expect, it } from 'vitest'
import { relativeTime } from '../../../../src/renderer/src/components/relative-time'
import type { Translate } from '../../../../src/renderer/src/i18n/i18n'
import { translate, type Language } from '../../../../src/shared/i18n'
import { text, textOr } from '../../../../src/shared/texts'

const tIn = (lang: Language): Translate => (key, ...vars) => translate(lang, key, ...vars)
const now = 1_000_000_000

describe('relative times', () => {
  it('agree with the number in English', () => {
    expect(relativeTime(now - 60_000, tIn('en'), now)).toBe('1 minute ago')
    expect(relativeTime(now - 120_000, tIn('en'), now)).toBe('2 minutes ago')
    expect(relativeTime(now - 3_600_000, tIn('en'), now)).toBe('1 hour ago')
    expect(relativeTime(now - 7_200_000, tIn('en'), now)).toBe('2 hours ago')
    expect(relativeTime(now - 30_000, tIn('en'), now)).toBe('30 seconds ago')
  })

  it('read the same for every number in Chinese', () => {
    expect(relativeTime(now - 60_000, tIn('zh'), now)).toBe('1 分钟前')
    expect(relativeTime(now - 120_000, tIn('zh'), now)).toBe('2 分钟前')
  })
})

describe('core-made titles on the pages', () => {
  it('are Chinese on the Chinese pages and English otherwise', () => {
    const title = text('job.runtimeInstall', { where: text('units.n', { n: 2 }) })
    expect(textOr(title, 'Install the EdgeDock runtime on 2 units', 'zh')).toBe('在 2 台设备 上安装 EdgeDock 运行时')
    expect(textOr(title, 'stored', 'en')).toBe('Install the EdgeDock runtime on 2 units')
  })

  it('fall back to the stored English for rows without a text', () => {
    expect(textOr(null, 'Scan the network for Raspberry Pis', 'zh')).toBe('Scan the network for Raspberry Pis')
  })
})

describe('plural messages on the pages', () => {
  it('count devices, units and changes properly', () => {
    const en = tIn('en')
    expect(en('devices.count', { n: 1 })).toBe('1 device')
    expect(en('devices.count', { n: 3 })).toBe('3 devices')
    expect(en('prov.unitsDone', { done: 0, total: 1 })).toBe('0 of 1 unit done')
    expect(en('prov.retryFailed', { n: 1 })).toBe('Retry the failed unit')
    expect(en('prov.retryFailed', { n: 2 })).toBe('Retry the 2 failed units')
    const summary = en('prov.planSummary', {
      would: en('prov.plan.would', { n: 1 }),
      same: en('prov.plan.same', { n: 2 }),
      failed: en('prov.plan.failed', { n: 0 }),
      changes: en('prov.changes', { n: 1 })
    })
    expect(summary).toBe('Dry run, nothing was changed: 1 unit would change, 2 units are already as the profile says, 0 units could not be checked; 1 change in all.')
  })
})
