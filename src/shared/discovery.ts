// Discovery schemas for the contract: LAN scan results and the USB snapshot.
import * as z from 'zod'

export const cidrSchema = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'must be a subnet like 192.168.1.0/24')

export const discoveredDeviceSchema = z.object({
  id: z.string(),
  ip: z.string().nullable(),
  mac: z.string().nullable(),
  hostname: z.string().nullable(),
  model: z.string().nullable(),
  serial: z.string().nullable(),
  isRaspberryPi: z.boolean(),
  sshBanner: z.string().nullable(),
  sources: z.array(z.string()),
  state: z.string(),
  lastSeen: z.string()
})
export type DiscoveredDeviceDto = z.infer<typeof discoveredDeviceSchema>

/** What `usb.consoleBootstrap` asks for: a console port and the unit's login. */
export const consoleBootstrapInputSchema = z
  .object({
    path: z.string().min(1).max(4096),
    user: z.string().min(1).max(32),
    password: z.string().min(1).max(256),
    enableSsh: z.boolean().default(false),
    baudRate: z.number().int().min(1200).max(4_000_000).optional()
  })
  .strict()

/** The console bootstrap job's result. */
export const consoleBootstrapResultSchema = z.object({
  port: z.string(),
  hostname: z.string(),
  ip: z.string().nullable(),
  mac: z.string().nullable(),
  interfaces: z.array(
    z.object({
      name: z.string(),
      mac: z.string().nullable(),
      state: z.string(),
      ipv4: z.array(z.object({ address: z.string(), prefix: z.number() })),
      ipv6: z.array(z.object({ address: z.string(), prefix: z.number() }))
    })
  ),
  sshEnabled: z.boolean(),
  deviceId: z.string().nullable()
})
export type ConsoleBootstrapResultDto = z.infer<typeof consoleBootstrapResultSchema>

const serialPort = z.object({
  path: z.string(),
  kind: z.string(),
  label: z.string(),
  vendorId: z.string().nullable(),
  productId: z.string().nullable(),
  manufacturer: z.string().nullable(),
  serialNumber: z.string().nullable(),
  likelyPiConsole: z.boolean()
})
const usbDevice = z.object({
  busId: z.string(),
  vendorId: z.string(),
  productId: z.string(),
  manufacturer: z.string().nullable(),
  product: z.string().nullable(),
  serial: z.string().nullable(),
  kind: z.string(),
  label: z.string()
})
const drive = z.object({
  name: z.string(),
  path: z.string(),
  sizeBytes: z.number(),
  model: z.string().nullable(),
  vendor: z.string().nullable(),
  serial: z.string().nullable(),
  transport: z.string().nullable(),
  removable: z.boolean(),
  hotplug: z.boolean(),
  mountpoints: z.array(z.string()),
  isSystem: z.boolean(),
  systemReasons: z.array(z.string()),
  selectable: z.boolean()
})
export const usbSnapshotSchema = z.object({
  serialPorts: z.union([
    z.object({ status: z.literal('ok'), ports: z.array(serialPort) }),
    z.object({ status: z.literal('error'), code: z.string(), message: z.string(), ports: z.array(serialPort) })
  ]),
  devices: z.array(usbDevice),
  drives: z.array(drive)
})
export type UsbSnapshotDto = z.infer<typeof usbSnapshotSchema>
