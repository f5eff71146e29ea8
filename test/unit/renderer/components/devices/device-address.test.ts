// A unit that lost its address keeps the placeholder host "no-address:<id>" (apply-observations.ts):
// the UI must never show it as an address or offer to connect to it.
import { describe, expect, it } from 'vitest'
import { addressOf } from '../../../../../src/main/core/devices/apply-observations'
import { addressText, hasAddress } from '../../../../../src/renderer/src/components/devices/device-address'

describe('device address', () => {
  it('agrees with the inventory on which hosts are no address', () => {
    for (const host of ['no-address:3f2a', '', '127.0.0.5', 'door-01.local']) expect(hasAddress({ host })).toBe(addressOf({ host }) !== null)
  })

  it('writes user@host, with the port only when it is not 22', () => {
    expect(addressText({ user: 'pi', host: '127.0.0.5', port: 22 })).toBe('pi@127.0.0.5')
    expect(addressText({ user: 'pi', host: '127.0.0.5', port: 2205 })).toBe('pi@127.0.0.5:2205')
    expect(addressText({ user: 'pi', host: 'no-address:3f2a', port: 22 })).toBeNull()
  })
})
