import { describe, expect, it } from 'vitest'
import { isRaspberryPiMac, normalizeMac } from '../../../../../src/main/core/discovery/mac-address'

describe('normalizeMac', () => {
  it.each([
    ['DC:A6:32:1B:7F:04', 'dc:a6:32:1b:7f:04'],
    ['dc-a6-32-1b-7f-04', 'dc:a6:32:1b:7f:04'],
    ['dca6.321b.7f04', 'dc:a6:32:1b:7f:04'],
    ['DCA6321B7F04', 'dc:a6:32:1b:7f:04'],
    ['0:1b:2:3:4:5', '00:1b:02:03:04:05'],
    ['  b8:27:eb:00:00:01\n', 'b8:27:eb:00:00:01']
  ])('%s -> %s', (input, expected) => {
    expect(normalizeMac(input)).toBe(expected)
  })

  it.each(['', 'not-a-mac', 'dc:a6:32:1b:7f', '00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff', 'dc:a6:32:1b:7f:04:00'])(
    'rejects %j',
    (input) => {
      expect(normalizeMac(input)).toBeUndefined()
    }
  )
})

describe('isRaspberryPiMac', () => {
  it.each(['B8:27:EB:12:34:56', 'dc:a6:32:00:00:01', 'E4-5F-01-AA-BB-CC', 'd83a.dd00.0001', '28:cd:c1:01:02:03', '2c:cf:67:01:02:03', '88:a2:9e:01:02:03'])(
    'the 24-bit block of %s is a Pi',
    (mac) => {
      expect(isRaspberryPiMac(mac)).toBe(true)
    }
  )

  it('matches the 28-bit block F0:40:AF:9 only on its ninth bit-group', () => {
    expect(isRaspberryPiMac('f0:40:af:90:00:01')).toBe(true)
    expect(isRaspberryPiMac('F0:40:AF:9F:FF:FF')).toBe(true)
    expect(isRaspberryPiMac('f0:40:af:80:00:01')).toBe(false)
    expect(isRaspberryPiMac('f0:40:af:a0:00:01')).toBe(false)
  })

  it('matches the 36-bit block 8C:1F:64:34:A only within it', () => {
    expect(isRaspberryPiMac('8c:1f:64:34:a0:00')).toBe(true)
    expect(isRaspberryPiMac('8c:1f:64:34:af:ff')).toBe(true)
    expect(isRaspberryPiMac('8c:1f:64:34:b0:00')).toBe(false)
    expect(isRaspberryPiMac('8c:1f:64:35:a0:00')).toBe(false)
  })

  it('does not call a laptop or router a Pi', () => {
    expect(isRaspberryPiMac('3c:52:82:aa:10:01')).toBe(false)
    expect(isRaspberryPiMac('a0:63:91:4e:2c:10')).toBe(false)
    expect(isRaspberryPiMac('garbage')).toBe(false)
  })
})
