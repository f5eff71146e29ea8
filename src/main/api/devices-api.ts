import { EdgeError } from '../../shared/errors'
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

export const provisionApi = (s: Services) =>
  ({
    'provision.run': async (req, ctx) => {
      // A profile file named from the station would be a path on the bench box: built-in names only there.
      if (ctx.transport === 'station' && !/^[a-z0-9][a-z0-9-]*$/.test(req.profile)) {
        throw new EdgeError('INVALID_INPUT', 'the station takes built-in profile names only')
      }
      return { jobId: await s.provision.start(req) }
    }
  }) satisfies HandlersFor<'provision'>

export const usbApi = (s: Services) =>
  ({
    'usb.scan': () => s.discovery.usb()
  }) satisfies HandlersFor<'usb'>
