import { describe, expect, it } from 'vitest'
import { usbApi } from '../../../../src/main/api/devices-api'
import type { Services } from '../../../../src/main/api/services'

// A station is a browser away from the bench box: the console bootstrap there opens listed serial
// ports only, never a path typed in (the box's own /dev/tty1 or someone's pty).
function services(started: string[]) {
  return {
    discovery: {
      usb: async () => ({ serialPorts: { status: 'ok', ports: [{ path: '/dev/ttyUSB0' }] }, devices: [], drives: [] }),
      consoleBootstrap: (req: { path: string }) => (started.push(req.path), 'job-1')
    }
  } as unknown as Services
}
const req = (path: string) => ({ path, user: 'pi', password: 'raspberry', enableSsh: false })

describe('usb.consoleBootstrap', () => {
  it('from the station, opens a listed serial port and refuses any other path in plain words', async () => {
    const started: string[] = []
    const api = usbApi(services(started))
    await expect(api['usb.consoleBootstrap'](req('/dev/ttyUSB0'), { transport: 'station' })).resolves.toEqual({ jobId: 'job-1' })
    await expect(api['usb.consoleBootstrap'](req('/dev/tty1'), { transport: 'station' })).rejects.toMatchObject({
      code: 'SERIAL_PORT_UNAVAILABLE',
      message: expect.stringContaining("/dev/tty1 is not one of this station's serial ports")
    })
    expect(started).toEqual(['/dev/ttyUSB0'])
  })

  it('from the CLI, opens the path the user named (a lab Pi console is a pty)', async () => {
    const started: string[] = []
    await usbApi(services(started))['usb.consoleBootstrap'](req('/run/lab/pi1/console'), { transport: 'cli' })
    expect(started).toEqual(['/run/lab/pi1/console'])
  })
})
