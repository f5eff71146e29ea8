import type { Services } from '../app/create-app'
import type { HandlersFor } from './handlers'

export const devicesApi = (s: Services) =>
  ({
    'devices.list': () => s.devices.list(),
    'devices.add': (input) => s.devices.add(input),
    'devices.remove': ({ id }) => (s.devices.remove(id), { ok: true as const }),
    'devices.rename': ({ id, name }) => s.devices.rename(id, name),
    'devices.check': ({ ids }) => ({ jobId: s.devices.check(ids) })
  }) satisfies HandlersFor<'devices'>

export const discoveryApi = (s: Services) =>
  ({
    'discovery.scan': (opts) => ({ jobId: s.discovery.scan(opts) })
  }) satisfies HandlersFor<'discovery'>

export const usbApi = (s: Services) =>
  ({
    'usb.scan': () => s.discovery.usb()
  }) satisfies HandlersFor<'usb'>
