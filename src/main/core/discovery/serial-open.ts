// Opens a console port for the serial bootstrap: a USB-UART cable (/dev/ttyUSB0), a Pi in USB
// serial gadget mode (/dev/ttyACM0), or a pty (a virtual Pi's console, as the lab gives). serialport
// opens all three (a pty accepts the same termios settings). Only character devices are opened, so a
// path typed by mistake (or sent to a station) cannot make EdgeDock read or write an ordinary file.
import { realpathSync, statSync } from 'node:fs'
import { EdgeError } from '../../../shared/errors'
import type { ConsoleStream } from './serial-console'

export interface OpenConsole {
  stream: ConsoleStream
  close(): Promise<void>
}

export async function openConsolePort(path: string, baudRate = 115200): Promise<OpenConsole> {
  let device: string
  try {
    device = realpathSync(path)
  } catch {
    throw new EdgeError('SERIAL_PORT_UNAVAILABLE', `${path} does not exist`)
  }
  if (!statSync(device).isCharacterDevice()) throw new EdgeError('SERIAL_PORT_UNAVAILABLE', `${path} is not a serial device`)
  // Imported here, as in serialport-list.ts: a broken native binding is an error, not an import crash.
  const { SerialPort } = await import('serialport')
  const port = new SerialPort({ path: device, baudRate, autoOpen: false })
  await new Promise<void>((resolve, reject) =>
    port.open((e) => (e ? reject(new EdgeError('SERIAL_PORT_UNAVAILABLE', `${path}: ${e.message}`, { cause: e })) : resolve()))
  )
  // Errors outside a bootstrap (a late write after the cable went) are not worth a crash.
  port.on('error', () => undefined)
  return {
    stream: port,
    close: () => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()))
  }
}
