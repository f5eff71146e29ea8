import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { migrate } from '../../../../../src/main/store/migrate'
import { migrations } from '../../../../../src/main/store/migrations'
import { createDevicesRepo } from '../../../../../src/main/store/devices-repo'

describe('migration 0004-discovered-devices', () => {
  it('keeps manually added devices and gives them empty discovery fields', () => {
    const db = new Database(':memory:')
    migrate(db, migrations.slice(0, 3))
    db.prepare("INSERT INTO devices (id, name, host, created_at) VALUES ('d', 'door-1', '10.0.0.5', 0)").run()
    migrate(db, migrations.slice(0, 4))
    expect(createDevicesRepo(db).get('d')).toMatchObject({
      name: 'door-1',
      host: '10.0.0.5',
      hostname: null,
      previousHost: null,
      macs: [],
      isRaspberryPi: false,
      facts: null,
      services: []
    })
  })

  it('stores what discovery learns and reads it back', () => {
    const db = new Database(':memory:')
    migrate(db, migrations.slice(0, 4))
    const repo = createDevicesRepo(db)
    db.prepare("INSERT INTO devices (id, name, host, created_at) VALUES ('d', 'door-1', '10.0.0.5', 0)").run()
    repo.update('d', { macs: ['dc:a6:32:00:00:01', 'dc:a6:32:00:00:02'], isRaspberryPi: true, facts: { arch: 'aarch64' }, previousHost: '10.0.0.4' })
    expect(repo.get('d')).toMatchObject({ macs: ['dc:a6:32:00:00:01', 'dc:a6:32:00:00:02'], isRaspberryPi: true, facts: { arch: 'aarch64' }, previousHost: '10.0.0.4' })
  })
})
