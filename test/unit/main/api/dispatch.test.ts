import { afterEach, describe, expect, it } from 'vitest'
import { createApp, type EdgeDockApp } from '../../../../src/main/app/create-app'
import { tempDir } from '../../../helpers/temp-dir'

describe('dispatch: the door every transport calls through', () => {
  let app: EdgeDockApp
  let cleanup = () => {}
  afterEach(() => {
    app?.close()
    cleanup()
  })
  const open = () => {
    const t = tempDir()
    cleanup = t.cleanup
    app = createApp({ dataDir: t.dir })
    return app
  }

  it('refuses a method that is not in the contract', async () => {
    const r = await open().dispatch('fs.readFile', { path: '/etc/shadow' }, { transport: 'station' })
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } })
  })

  it('rejects invalid input with a readable reason and changes nothing', async () => {
    const a = open()
    for (const input of [{ host: 'x; rm -rf /' }, { host: '$(reboot)' }, { host: 'ok', port: 0 }, { host: 'ok', extra: 1 }, null, 'str']) {
      const r = await a.dispatch('devices.add', input, { transport: 'station' })
      expect(r, JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } })
    }
    expect(await a.dispatch('devices.list', {}, { transport: 'station' })).toEqual({ ok: true, value: [] })
    expect(await a.dispatch('history.query', {}, { transport: 'station' })).toEqual({ ok: true, value: [] })
  })

  it('adds, renames and removes a device, each recorded in history', async () => {
    const a = open()
    const added = await a.dispatch('devices.add', { host: '127.0.0.1', port: 2201, name: 'door-1' }, { transport: 'station' })
    expect(added.ok).toBe(true)
    const id = (added as { value: { id: string } }).value.id
    expect(await a.dispatch('devices.add', { host: '127.0.0.1', port: 2201 }, { transport: 'station' })).toMatchObject({
      ok: false,
      error: { code: 'DEVICE_EXISTS' }
    })
    expect(await a.dispatch('devices.rename', { id, name: 'door-lobby' }, { transport: 'station' })).toMatchObject({
      ok: true,
      value: { name: 'door-lobby' }
    })
    expect(await a.dispatch('devices.remove', { id }, { transport: 'station' })).toEqual({ ok: true, value: { ok: true } })
    const h = await a.dispatch('history.query', {}, { transport: 'station' })
    expect((h as { value: { kind: string }[] }).value.map((e) => e.kind)).toEqual(['device.removed', 'device.renamed', 'device.added'])
  })

  it('remembers settings and announces the change', async () => {
    const a = open()
    const seen: unknown[] = []
    a.events.subscribe((e, p) => e === 'settings.changed' && seen.push(p))
    await a.dispatch('settings.set', { language: 'zh' }, { transport: 'station' })
    expect(await a.dispatch('settings.get', {}, { transport: 'station' })).toMatchObject({ value: { language: 'zh' } })
    expect(seen).toEqual([expect.objectContaining({ language: 'zh' })])
    expect(await a.dispatch('settings.set', { language: 'fr' }, { transport: 'station' })).toMatchObject({ ok: false })
  })
})
