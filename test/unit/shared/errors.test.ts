import { describe, expect, it } from 'vitest'
import { EdgeError, errorCodes, errorMessage, isErrorCode } from '../../../src/shared/errors'
import { en } from '../../../src/shared/i18n/en'
import { zh } from '../../../src/shared/i18n/zh'

describe('error messages', () => {
  it('has an English and a Chinese sentence for every code', () => {
    expect(errorCodes.length).toBeGreaterThan(50)
    for (const code of errorCodes) {
      const e = en[`error.${code}`]
      const z = zh[`error.${code}`]
      expect(e.length, code).toBeGreaterThan(5)
      expect(z.length, code).toBeGreaterThan(2)
      expect(z, `${code} is not translated`).toMatch(/[\u4e00-\u9fff]/)
      expect(e.includes('{detail}')).toBe(z.includes('{detail}'))
    }
  })

  it('fills in the detail in both languages', () => {
    expect(errorMessage('HOST_UNREACHABLE', 'en', '10.0.0.5:22')).toContain('10.0.0.5:22')
    expect(errorMessage('HOST_UNREACHABLE', 'zh', '10.0.0.5:22')).toContain('10.0.0.5:22')
    expect(new EdgeError('DEVICE_NOT_FOUND', 'door-9').message).toBe(errorMessage('DEVICE_NOT_FOUND', 'en', 'door-9'))
  })

  it('drops the colon an empty detail would leave', () => {
    expect(errorMessage('INVALID_INPUT', 'en')).toBe('That input is not valid')
    expect(errorMessage('INVALID_INPUT', 'zh')).toBe('输入无效')
  })

  it('knows its codes and nothing else', () => {
    expect(isErrorCode('HOST_UNREACHABLE')).toBe(true)
    expect(isErrorCode('error.HOST_UNREACHABLE')).toBe(false)
    expect(isErrorCode('toString')).toBe(false)
  })
})
