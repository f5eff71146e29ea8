import path from 'node:path'
import { EdgeError } from '../../shared/errors'
import { describeBuiltinProfiles } from '../core/provision/profile-info'
import type { Services } from './services'
import { modelStatusApi } from './deploy-api'
import type { HandlersFor } from './handlers'

export const devicesApi = (s: Services) =>
  ({
    'devices.list': () => s.devices.list(),
    'devices.add': (input) => s.devices.add(input),
    'devices.remove': ({ id }) => (s.devices.remove(id), { ok: true as const }),
    'devices.resolve': ({ ref }) => s.devices.resolve(ref),
    'devices.rename': ({ id, name }) => s.devices.rename(id, name),
    'devices.check': ({ ids }) => ({ jobId: s.devices.check(ids) }),
    ...modelStatusApi(s)
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
    },
    'provision.profiles': () => describeBuiltinProfiles(path.join(s.resourcesDir, 'profiles'))
  }) satisfies HandlersFor<'provision'>

export const usbApi = (s: Services) =>
  ({
    'usb.scan': () => s.discovery.usb(),
    'usb.consoleBootstrap': async (req, ctx) => {
      // From a browser, only a port the bench box lists as a serial port: a typed path must not open
      // one of the box's own terminals (/dev/tty1, a pty) and log in there.
      if (ctx.transport === 'station') {
        const { serialPorts } = await s.discovery.usb()
        if (!serialPorts.ports.some((p) => p.path === req.path)) {
          throw new EdgeError('SERIAL_PORT_UNAVAILABLE', `${req.path} is not one of this station's serial ports`)
        }
      }
      return { jobId: s.discovery.consoleBootstrap(req) }
    }
  }) satisfies HandlersFor<'usb'>
