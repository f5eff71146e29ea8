// The devices aggregate: one row per physical unit.
import type Database from 'better-sqlite3'
import type { Device } from '../../shared/domain'

interface Row {
  id: string
  name: string
  host: string
  port: number
  user: string
  mac: string | null
  model: string | null
  serial: string | null
  host_key_fingerprint: string | null
  ssh_banner: string | null
  hostname: string | null
  previous_host: string | null
  macs: string
  is_raspberry_pi: number
  facts: string | null
  services: string
  state: Device['state']
  last_seen: number | null
  sources: string
  created_at: number
}

const toDevice = (r: Row): Device => ({
  id: r.id,
  name: r.name,
  host: r.host,
  port: r.port,
  user: r.user,
  mac: r.mac,
  model: r.model,
  serial: r.serial,
  hostKeyFingerprint: r.host_key_fingerprint,
  sshBanner: r.ssh_banner,
  hostname: r.hostname,
  previousHost: r.previous_host,
  macs: JSON.parse(r.macs) as string[],
  isRaspberryPi: r.is_raspberry_pi === 1,
  facts: r.facts ? (JSON.parse(r.facts) as Device['facts']) : null,
  services: JSON.parse(r.services) as string[],
  state: r.state,
  lastSeen: r.last_seen,
  sources: JSON.parse(r.sources) as Device['sources'],
  createdAt: r.created_at
})

export type DevicePatch = Partial<Omit<Device, 'id' | 'createdAt'>>

// JSON and boolean columns as SQLite stores them.
function toRow<T extends Partial<Device>>(d: T): Record<string, unknown> {
  const out: Record<string, unknown> = { ...d }
  for (const k of ['sources', 'macs', 'services'] as const) if (d[k] !== undefined) out[k] = JSON.stringify(d[k])
  if (d.facts !== undefined) out.facts = d.facts === null ? null : JSON.stringify(d.facts)
  if (d.isRaspberryPi !== undefined) out.isRaspberryPi = d.isRaspberryPi ? 1 : 0
  return out
}

const columns: Record<keyof DevicePatch, string> = {
  name: 'name',
  host: 'host',
  port: 'port',
  user: 'user',
  mac: 'mac',
  model: 'model',
  serial: 'serial',
  hostKeyFingerprint: 'host_key_fingerprint',
  sshBanner: 'ssh_banner',
  hostname: 'hostname',
  previousHost: 'previous_host',
  macs: 'macs',
  isRaspberryPi: 'is_raspberry_pi',
  facts: 'facts',
  services: 'services',
  state: 'state',
  lastSeen: 'last_seen',
  sources: 'sources'
}

export function createDevicesRepo(db: Database.Database) {
  const all = db.prepare<[], Row>('SELECT * FROM devices ORDER BY name COLLATE NOCASE')
  const byId = db.prepare<[string], Row>('SELECT * FROM devices WHERE id = ?')
  const byName = db.prepare<[string], Row>('SELECT * FROM devices WHERE name = ?')
  const byAddress = db.prepare<[string, number], Row>('SELECT * FROM devices WHERE host = ? AND port = ?')
  const insert = db.prepare(`INSERT INTO devices (id, name, host, port, user, mac, model, serial, host_key_fingerprint,
    ssh_banner, hostname, previous_host, macs, is_raspberry_pi, facts, services, state, last_seen, sources, created_at)
    VALUES (@id, @name, @host, @port, @user, @mac, @model, @serial, @hostKeyFingerprint, @sshBanner, @hostname,
    @previousHost, @macs, @isRaspberryPi, @facts, @services, @state, @lastSeen, @sources, @createdAt)`)
  const remove = db.prepare<[string]>('DELETE FROM devices WHERE id = ?')

  return {
    list: (): Device[] => all.all().map(toDevice),
    get: (id: string): Device | undefined => {
      const r = byId.get(id)
      return r && toDevice(r)
    },
    findByName: (name: string): Device | undefined => {
      const r = byName.get(name)
      return r && toDevice(r)
    },
    findByAddress: (host: string, port: number): Device | undefined => {
      const r = byAddress.get(host, port)
      return r && toDevice(r)
    },
    insert: (d: Device): void => {
      insert.run(toRow(d))
    },
    update: (id: string, patch: DevicePatch): void => {
      const keys = (Object.keys(patch) as (keyof DevicePatch)[]).filter((k) => patch[k] !== undefined)
      if (keys.length === 0) return
      const sets = keys.map((k) => `${columns[k]} = @${k}`).join(', ')
      const row = toRow(patch)
      const values = Object.fromEntries(keys.map((k) => [k, row[k]]))
      db.prepare(`UPDATE devices SET ${sets} WHERE id = @id`).run({ ...values, id })
    },
    remove: (id: string): boolean => remove.run(id).changes > 0
  }
}
export type DevicesRepo = ReturnType<typeof createDevicesRepo>
