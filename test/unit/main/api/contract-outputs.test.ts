// Every handler, called through the one dispatch on a real app (real SQLite, real model library),
// and its answer parsed with the method's OUTPUT schema: a handler cannot drift from what the
// renderer, the station's clients and the CLI are promised. A new contract method without an entry
// here fails the first test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contract, methodNames, type MethodName } from '../../../../src/shared/contract'
import { createApp, type EdgeDockApp } from '../../../../src/main/app/create-app'

let app: EdgeDockApp
let dir: string
let closedPort: number
const resources = path.resolve('resources')

// A port on 127.0.0.1 where nothing listens: jobs aimed at it fail fast, and no traffic leaves the machine.
async function unusedPort(): Promise<number> {
  const srv = net.createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const port = (srv.address() as net.AddressInfo).port
  await new Promise((r) => srv.close(r))
  return port
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'edgedock-contract-'))
  closedPort = await unusedPort()
  app = createApp({ dataDir: dir, resourcesDir: resources })
})
afterAll(async () => {
  await Promise.all(app.services.store.jobs.list({ limit: 500 }).map((j) => app.services.jobs.wait(j.id).catch(() => null)))
  app.close()
  rmSync(dir, { recursive: true, force: true })
})

const firstRun = () => app.services.store.bench.list({ limit: 1 })[0]?.id ?? 'none'
const call = (method: MethodName, input: unknown) => app.dispatch(method, input, { transport: 'cli' })

// In call order: later inputs use what earlier calls made (the device, the imported model, a job).
const inputs: { [M in MethodName]: () => unknown } = {
  'app.info': () => ({}),
  'settings.get': () => ({}),
  'settings.set': () => ({ language: 'zh' }),
  'devices.add': () => ({ host: '127.0.0.1', port: closedPort, name: 'bench-a' }),
  'devices.list': () => ({}),
  'devices.resolve': () => ({ ref: 'bench-a' }),
  'devices.rename': () => ({ id: app.services.store.devices.list()[0]?.id, name: 'bench-b' }),
  'devices.check': () => ({}),
  'devices.modelStatus': () => ({ target: 'bench-b' }),
  'discovery.scan': () => ({ subnets: ['127.0.0.1/32'], mdns: false, timeoutMs: 200 }),
  'usb.scan': () => ({}),
  'usb.consoleBootstrap': () => ({ path: path.join(dir, 'no-such-console'), user: 'pi', password: 'raspberry' }),
  'provision.profiles': () => ({}),
  'provision.run': () => ({ targets: ['bench-b'], profile: 'bench-node', vars: { hostname: 'bench-07' }, dryRun: true }),
  'hostKeys.get': () => ({ target: 'bench-b' }),
  'hostKeys.repin': () => ({ target: 'bench-b', fingerprint: `SHA256:${'A'.repeat(43)}` }),
  'models.import': () => ({ file: { path: path.join(resources, 'models', 'digits_cnn_fp32.onnx') }, name: 'digits', version: '1' }),
  'models.list': () => ({}),
  'models.inspect': () => ({ ref: 'digits@1' }),
  'models.inspectFile': () => ({ file: { path: path.join(resources, 'models', 'digits_cnn_fp32.onnx') } }),
  'models.compare': () => ({ a: 'digits@1', b: 'digits@1', samples: { builtin: 'digits-100' }, limit: 10 }),
  'models.quantizeAdvice': () => ({ ref: 'digits@1' }),
  'models.quantize': () => ({ ref: 'digits@1', method: 'dynamic', version: 'q1', compareLimit: 10 }),
  'models.lineage': () => ({ ref: 'digits@1' }),
  'bench.start': () => ({ targets: ['bench-b'], models: ['digits@1'], threads: [1, 2], runs: 1, durationS: 0 }),
  'bench.list': () => ({}),
  'bench.get': () => ({ id: firstRun() }),
  'bench.samples': () => ({ cellId: app.services.store.bench.get(firstRun())?.cells[0]?.id }),
  'bench.compare': () => ({ ids: [firstRun()] }),
  'bench.export': () => ({ ids: [firstRun()], format: 'csv' }),
  'runtime.install': () => ({ targets: ['bench-b'] }),
  'models.push': () => ({ targets: ['bench-b'], ref: 'digits@1' }),
  'models.rollback': () => ({ targets: ['bench-b'] }),
  'jobs.list': () => ({}),
  'jobs.get': () => ({ id: app.services.store.jobs.list({ limit: 1 })[0]?.id }),
  'jobs.cancel': () => ({ id: app.services.store.jobs.list({ limit: 1 })[0]?.id }),
  'history.query': () => ({}),
  'logs.query': () => ({ text: 'inference', limit: 10 }),
  'logs.export': () => ({ format: 'json' }),
  'logs.follow.start': () => ({ deviceId: app.services.store.devices.list()[0]?.id, unit: 'ssh.service' }),
  'logs.follow.list': () => ({}),
  'logs.follow.stop': () => ({ deviceId: app.services.store.devices.list()[0]?.id }),
  'models.remove': () => ({ ref: 'digits@1' }),
  'devices.remove': () => ({ id: app.services.store.devices.list()[0]?.id }),
  'flash.drives': () => ({}),
  'flash.inspect': () => ({ source: { path: tinyDiskImage() } }),
  'flash.start': () => ({ source: { path: tinyDiskImage() }, targets: [path.join(dir, 'flash-target.img')] })
}

/** 64 KiB with an empty MBR: enough to be taken for a disk image. */
function tinyDiskImage(): string {
  const file = path.join(dir, 'tiny.img')
  const buf = Buffer.alloc(64 * 1024)
  buf[510] = 0x55
  buf[511] = 0xaa
  writeFileSync(file, buf)
  return file
}

// These need a unit that answers SSH; with none, the answer is a coded refusal in plain words,
// which is what the test checks (their successful outputs are parsed in the lab suites).
const NEEDS_A_UNIT = new Set<MethodName>(['devices.modelStatus', 'hostKeys.repin'])

describe('every contract method answers in its output schema', () => {
  it('has an input for every method', () => {
    expect(Object.keys(inputs).sort()).toEqual([...methodNames].sort())
  })

  it.each(Object.keys(inputs) as MethodName[])('%s', async (method) => {
    const r = await call(method, inputs[method]())
    if (NEEDS_A_UNIT.has(method) && !r.ok) {
      expect(r.error.code).not.toBe('INTERNAL')
      expect(r.error.message).toMatch(/\w+ \w+/)
      return
    }
    expect(r.ok ? 'ok' : r.error).toBe('ok')
    if (!r.ok) return
    const parsed = contract.methods[method].output.safeParse(r.value)
    expect(parsed.success ? 'conforms' : parsed.error.issues).toBe('conforms')
  })
})
