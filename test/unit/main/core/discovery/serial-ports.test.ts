import { describe, expect, it } from 'vitest'
import { classifySerialPorts, listSerialPorts, type PortInfoLike } from '../../../../../src/main/core/discovery/serial-ports'
import { fixture } from './fixture'

const bench = JSON.parse(fixture('serialport-list-bench.json')) as PortInfoLike[]

describe('classifySerialPorts', () => {
  const ports = classifySerialPorts(bench)

  it('offers the console cables and the Pi gadget first, labelled by chip', () => {
    expect(ports.filter((p) => p.likelyPiConsole).map((p) => [p.path, p.kind, p.label])).toEqual([
      ['/dev/ttyACM0', 'pi-gadget-serial', 'Pi USB gadget, serial console (CDC ACM)'],
      ['/dev/ttyUSB0', 'usb-uart', 'FTDI FT232R USB-UART'],
      ['/dev/ttyUSB1', 'usb-uart', 'Silicon Labs CP210x USB-UART'],
      ['/dev/ttyUSB2', 'usb-uart', 'WCH CH340 USB-UART']
    ])
  })

  it('keeps an Arduino and the built-in UART, after them and not marked as Pi consoles', () => {
    expect(ports.slice(4).map((p) => [p.path, p.kind, p.likelyPiConsole])).toEqual([
      ['/dev/ttyACM1', 'other-usb-serial', false],
      ['/dev/ttyS0', 'built-in', false]
    ])
  })

  it('normalises upper-case and 0x-prefixed ids', () => {
    const [port] = classifySerialPorts([{ path: '/dev/ttyUSB9', vendorId: '0x067B', productId: '2303' }])
    expect(port).toMatchObject({ vendorId: '067b', productId: '2303', kind: 'usb-uart', label: 'Prolific PL2303 USB-UART' })
  })

  it.each([
    ['0403', '6010'], ['0403', '6014'], ['1a86', '7522'], ['1a86', '5523']
  ])('knows the %s:%s adapter', (vendorId, productId) => {
    expect(classifySerialPorts([{ path: '/dev/ttyUSB0', vendorId, productId }])[0]!.kind).toBe('usb-uart')
  })
})

describe('listSerialPorts', () => {
  it('says udevadm is missing instead of throwing', async () => {
    const enoent = Object.assign(new Error('spawn udevadm ENOENT'), { code: 'ENOENT', syscall: 'spawn udevadm', path: 'udevadm' })
    const listing = await listSerialPorts(() => Promise.reject(enoent))
    expect(listing).toEqual({
      status: 'error',
      code: 'USB_UDEV_MISSING',
      message: expect.stringContaining('udev'),
      ports: []
    })
  })

  it('reports any other failure as USB_LIST_FAILED with the reason', async () => {
    const listing = await listSerialPorts(() => Promise.reject(new Error('Error listing ports udevadm exited with error code: 1')))
    expect(listing).toMatchObject({ status: 'error', code: 'USB_LIST_FAILED', message: expect.stringContaining('exited with error code: 1') })
  })

  it('passes a good listing through, classified', async () => {
    const listing = await listSerialPorts(async () => bench)
    expect(listing.status).toBe('ok')
    expect(listing.ports).toHaveLength(6)
  })
})
