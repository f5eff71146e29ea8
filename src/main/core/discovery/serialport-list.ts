// The real `SerialPort.list`, imported lazily so that loading discovery never loads the native
// binding (and a broken binding reads as a listing error, not an import crash).

import type { PortInfoLike } from './serial-ports'

export async function serialportList(): Promise<PortInfoLike[]> {
  const { SerialPort } = await import('serialport')
  return SerialPort.list()
}
