import { describe, expect, it } from 'vitest'
import { EdgeError, errorCodes, errorMessage, errorMessages } from '../../../src/shared/errors'

describe('error messages', () => {
  it('has an English and a Chinese sentence for every code', () => {
    for (const code of errorCodes) {
      const m = errorMessages[code]
      expect(m.en.length, code).toBeGreaterThan(5)
      expect(m.zh.length, code).toBeGreaterThan(2)
      expect(m.zh, `${code} is not translated`).toMatch(/[\u4e00-\u9fff]/)
      expect(m.en.includes('{detail}')).toBe(m.zh.includes('{detail}'))
    }
  })

  it('fills in the detail in both languages', () => {
    expect(errorMessage('HOST_UNREACHABLE', 'en', '10.0.0.5:22')).toContain('10.0.0.5:22')
    expect(errorMessage('HOST_UNREACHABLE', 'zh', '10.0.0.5:22')).toContain('10.0.0.5:22')
    expect(new EdgeError('DEVICE_NOT_FOUND', 'door-9').message).toBe(errorMessage('DEVICE_NOT_FOUND', 'en', 'door-9'))
  })
})
