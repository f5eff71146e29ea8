import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ModelError } from '../../../../../src/main/core/models/errors'
import { ModelStore } from '../../../../../src/main/core/models/model-store'
import { memoryCatalog } from './memory-catalog'
import { fp32Classifier, garbageBytes, qdqClassifier } from './onnx-fixtures'

let work: string
let dataDir: string
let catalog: ReturnType<typeof memoryCatalog>
let store: ModelStore
let clock = 1_700_000_000_000

async function fixture(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(work, name)
  await writeFile(path, bytes)
  return path
}

async function storedFiles(): Promise<string[]> {
  return readdir(join(dataDir, 'models')).catch(() => [])
}

async function rejection(promise: Promise<unknown>): Promise<ModelError> {
  const err = await promise.then(() => undefined, (e: unknown) => e)
  if (!(err instanceof ModelError)) throw new Error(`expected a ModelError, got ${String(err)}`)
  return err
}

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'edgedock-models-'))
  dataDir = join(work, 'data')
  catalog = memoryCatalog()
  store = new ModelStore({ dataDir, catalog, now: () => clock++ })
})

afterEach(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('ModelStore.import', () => {
  it('copies the file to models/<sha256>.onnx and records name, version, notes and summary', async () => {
    const bytes = fp32Classifier()
    const sha = createHash('sha256').update(bytes).digest('hex')
    const { record, alreadyPresent } = await store.import(await fixture('door-faces.onnx', bytes), {
      name: 'faces',
      version: '1.0',
      notes: 'site A'
    })
    expect(alreadyPresent).toBe(false)
    expect(record).toMatchObject({ sha256: sha, name: 'faces', version: '1.0', notes: 'site A', sourceFileName: 'door-faces.onnx', sizeBytes: bytes.length })
    expect(record.summary.precision).toBe('fp32')
    expect(await storedFiles()).toEqual([`${sha}.onnx`])
    expect(Buffer.compare(await readFile(store.filePath(sha)), bytes)).toBe(0)
    expect(store.list().map((r) => r.sha256)).toEqual([sha])
  })

  it('defaults the name to the file name and numbers versions per name', async () => {
    const a = await store.import(await fixture('digits.onnx', fp32Classifier()))
    const b = await store.import(await fixture('digits.onnx', qdqClassifier()))
    expect([a.record.name, a.record.version]).toEqual(['digits', '1'])
    expect([b.record.name, b.record.version]).toEqual(['digits', '2'])
  })

  it('keeps one copy of identical bytes and returns the existing record', async () => {
    const first = await store.import(await fixture('a.onnx', fp32Classifier()), { name: 'a' })
    const again = await store.import(await fixture('b.onnx', fp32Classifier()), { name: 'b' })
    expect(again.alreadyPresent).toBe(true)
    expect(again.record.name).toBe('a')
    expect(await storedFiles()).toHaveLength(1)
    expect(store.list()).toHaveLength(1)
    expect(first.record.sha256).toBe(again.record.sha256)
  })

  it('stores nothing for a truncated file and says MODEL_MALFORMED', async () => {
    const whole = qdqClassifier()
    const err = await rejection(store.import(await fixture('cut.onnx', whole.subarray(0, whole.length - 20))))
    expect(err.code).toBe('MODEL_MALFORMED')
    expect(err.message).toContain('cut.onnx')
    expect(await storedFiles()).toEqual([])
    expect(store.list()).toEqual([])
  })

  it('stores nothing for garbage bytes', async () => {
    const err = await rejection(store.import(await fixture('photo.onnx', garbageBytes(4096))))
    expect(err.code).toBe('MODEL_MALFORMED')
    expect(await storedFiles()).toEqual([])
  })

  it('says MODEL_FILE_UNREADABLE for a missing file', async () => {
    expect((await rejection(store.import(join(work, 'nope.onnx')))).code).toBe('MODEL_FILE_UNREADABLE')
  })

  it('refuses a name and version that another file holds, and stores nothing', async () => {
    await store.import(await fixture('a.onnx', fp32Classifier()), { name: 'faces', version: '2' })
    const err = await rejection(store.import(await fixture('b.onnx', qdqClassifier()), { name: 'faces', version: '2' }))
    expect(err.code).toBe('MODEL_VERSION_EXISTS')
    expect(await storedFiles()).toHaveLength(1)
  })

  it('says MODEL_STORE_WRITE_FAILED when the data folder cannot hold models, and records nothing', async () => {
    await mkdir(dataDir, { recursive: true })
    await writeFile(join(dataDir, 'models'), 'a file where the models folder should be')
    const err = await rejection(store.import(await fixture('a.onnx', fp32Classifier())))
    expect(err.code).toBe('MODEL_STORE_WRITE_FAILED')
    expect(store.list()).toEqual([])
  })

  it('removes the copied file when the catalog refuses the record', async () => {
    catalog.failNextAdd = new Error('disk I/O error')
    await expect(store.import(await fixture('a.onnx', fp32Classifier()))).rejects.toThrow('disk I/O error')
    expect(await storedFiles()).toEqual([])
  })
})

describe('ModelStore lookups and removal', () => {
  it('finds a model by sha256, by prefix and by name@version; unknown refs give MODEL_NOT_FOUND', async () => {
    const { record } = await store.import(await fixture('a.onnx', fp32Classifier()), { name: 'faces', version: '3' })
    expect(store.get(record.sha256).name).toBe('faces')
    expect(store.get(record.sha256.slice(0, 10)).name).toBe('faces')
    expect(store.get('faces@3').sha256).toBe(record.sha256)
    expect(() => store.get('faces@4')).toThrow(expect.objectContaining({ code: 'MODEL_NOT_FOUND' }))
  })

  it('removes the record and the file', async () => {
    const { record } = await store.import(await fixture('a.onnx', fp32Classifier()))
    await store.remove(record.sha256)
    expect(store.list()).toEqual([])
    expect(await storedFiles()).toEqual([])
  })

  it('sweeps temporary files that an interrupted import left behind', async () => {
    await store.import(await fixture('a.onnx', fp32Classifier()))
    await writeFile(join(dataDir, 'models', '.abc.onnx.1234.partial'), 'half a model')
    expect(await store.recover()).toEqual(['.abc.onnx.1234.partial'])
    expect(await storedFiles()).toHaveLength(1)
  })
})
