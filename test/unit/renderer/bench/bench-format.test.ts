import { describe, expect, it } from 'vitest'
import { cellLabel, etaText, formatMs, formatPValue, formatRatio } from '../../../../src/renderer/src/components/bench/bench-format'
import { cancelText, reasonText } from '../../../../src/renderer/src/components/bench/invalid-reason'
import type { Translate } from '../../../../src/renderer/src/i18n/i18n'
import { translate } from '../../../../src/shared/i18n'

describe('benchmark figures', () => {
  it('keeps more digits for sub-millisecond latencies', () => {
    expect(formatMs(0.04321)).toBe('0.043')
    expect(formatMs(4.321)).toBe('4.32')
    expect(formatMs(43.21)).toBe('43.2')
    expect(formatMs(432.1)).toBe('432')
    expect(formatMs(null)).toBe('—')
  })

  it('writes ratios as multiples and a missing ratio as a dash', () => {
    expect(formatRatio(0.5234)).toBe('0.52×')
    expect(formatRatio(1)).toBe('1.00×')
    expect(formatRatio(12.34)).toBe('12.3×')
    expect(formatRatio(null)).toBe('—')
  })

  it('writes tiny p-values as a bound', () => {
    expect(formatPValue(0.00001)).toBe('< 0.0001')
    expect(formatPValue(0.2)).toBe('0.2000')
    expect(formatPValue(null)).toBe('—')
  })

  it('says nothing of the time left until the runner can tell', () => {
    expect(etaText(null)).toBe('')
    expect(etaText(-1)).toBe('')
    expect(etaText(12.2)).toBe('13s')
    expect(etaText(185)).toBe('3m 05s')
  })

  it('names a cell by where, what and its matrix position, with 0 threads as auto', () => {
    const model = { ref: 'digits@1', name: 'digits', version: '1', sha256: 'x' }
    expect(cellLabel({ target: 'host', model, threads: 0, batch: 8, repeat: 2 })).toBe('host · digits@1 · tauto b8 #2')
  })
})

describe('invalid reasons', () => {
  const en: Translate = (key, ...vars) => translate('en', key, ...vars)
  const zh: Translate = (key, ...vars) => translate('zh', key, ...vars)

  it('words the runner\'s known reasons in the reader\'s language', () => {
    expect(reasonText('temperature reached 82.3 °C (limit 80 °C)', zh)).toBe('设备温度达到 82.3 °C（上限 80 °C）')
    expect(reasonText('throttled during the run (get_throttled 0x4: throttled now)', en)).toBe('the unit throttled during the run (get_throttled 0x4: throttled now)')
    expect(reasonText('cancelled before the run finished', zh)).toBe('运行结束前已取消')
  })

  it('shows any other reason as the runner wrote it', () => {
    expect(reasonText('something new', zh)).toBe('something new')
  })

  it('words the notes of a cancelled cell, with the phase it stopped in', () => {
    const phase = (p: string) => (p === 'measure' ? translate('zh', 'bench.phase.measure') : p)
    expect(cancelText('cancelled during measure', phase, zh)).toBe('在测量阶段被取消')
    expect(cancelText('cancelled before it started', phase, en)).toBe('cancelled before it started')
    expect(cancelText('cancelled; the runs measured before the cancel are kept', phase, zh)).toBe('已取消；取消前测得的运行结果已保留')
    expect(cancelText('cut off by the unit', phase, en)).toBe('cut off by the unit')
  })
})
