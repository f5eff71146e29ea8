import { createHash } from 'node:crypto'
import { mkdir, rename, symlink, utimes, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AgentError } from '../../../src/agent/agent-error'
import { ModelHost } from '../../../src/agent/model-host'
import type { ModelSession } from '../../../src/agent/ort-session'
import { tempDir } from '../../helpers/temp-dir'

// Fake sessions: the "model" bytes are a label; "broken" fails to load.
function fakeOpen(released: string[]) {
  return async (bytes: Uint8Array): Promise<ModelSession> => {
    const label = Buffer.from(bytes).toString()
    if (label === 'broken') throw new AgentError('AGENT_MODEL_LOAD_FAILED', 'ONNX Runtime could not load the model: bad')
    return {
      inputName: 'input',
      inputType: 'float32',
      inputShape: ['N', 2],
      run: async () => ({ data: [0, 1], dims: [1, 2] }),
      release: async () => {
        released.push(label)
      }
    }
  }
}

describe('ModelHost', () => {
  let tmp: ReturnType<typeof tempDir>
  let modelsDir: string
  let released: string[]
  let logs: string[]
  let host: ModelHost

  async function version(name: string, content = name): Promise<void> {
    const dir = path.join(modelsDir, name)
    await mkdir(dir, { recursive: true })
    await writeFile(path.join(dir, 'model.onnx'), content)
    await writeFile(path.join(dir, 'meta.json'), JSON.stringify({ name: 'm', version: name, sha256: createHash('sha256').update(content).digest('hex') }))
  }
  async function point(name: string): Promise<void> {
    await symlink(name, path.join(modelsDir, '.tmp'))
    await rename(path.join(modelsDir, '.tmp'), path.join(modelsDir, 'current'))
  }

  beforeEach(async () => {
    tmp = tempDir('edgedock-host-')
    modelsDir = path.join(tmp.dir, 'models')
    await mkdir(modelsDir)
    released = []
    logs = []
    host = new ModelHost({ modelsDir, open: fakeOpen(released), log: (e) => logs.push(e) })
  })
  afterEach(() => tmp.cleanup())

  it('has no model until current exists, then loads it', async () => {
    await host.sync()
    expect(host.status).toBe('no-model')
    expect(() => host.acquire()).toThrow(expect.objectContaining({ code: 'AGENT_NO_MODEL', httpStatus: 503 }))
    await version('v1')
    await point('v1')
    await host.sync()
    expect(host.status).toBe('ok')
    expect(host.model?.meta.version).toBe('v1')
  })

  it('releases the old session only after the last request holding it finishes', async () => {
    await version('v1')
    await version('v2')
    await point('v1')
    await host.sync()
    const inFlight = host.acquire()
    await point('v2')
    await host.sync()
    expect(host.model?.meta.version).toBe('v2')
    expect(inFlight.model.meta.version).toBe('v1')
    expect(released).toEqual([])
    inFlight.release()
    inFlight.release() // twice is harmless
    await new Promise((r) => setImmediate(r))
    expect(released).toEqual(['v1'])
  })

  it('keeps serving the old model when the new one fails, reports it, and clears it on rollback', async () => {
    await version('v1')
    await version('v2', 'broken')
    await point('v1')
    await host.sync()
    await point('v2')
    await host.sync()
    expect(host.model?.meta.version).toBe('v1')
    expect(host.status).toBe('degraded')
    expect(host.lastLoadError).toMatchObject({ version: 'v2', code: 'AGENT_MODEL_LOAD_FAILED' })
    // Not retried on every poll.
    await host.sync()
    expect(logs.filter((l) => l === 'model-load-failed')).toHaveLength(1)
    await point('v1')
    await host.sync()
    expect(host.status).toBe('ok')
    expect(host.lastLoadError).toBeNull()
    expect(released).toEqual([])
  })

  it('refuses a model whose bytes do not match meta.json', async () => {
    await version('v1')
    await writeFile(path.join(modelsDir, 'v1', 'model.onnx'), 'cut sho')
    await point('v1')
    await host.sync()
    expect(host.lastLoadError?.code).toBe('AGENT_MODEL_SHA256_MISMATCH')
    expect(host.status).toBe('no-model')
  })

  it('trusts the sha256 check of a push moments ago (its stamp), and hashes again when the stamp is old or the file newer', async () => {
    const stamp = (name: string) => writeFile(path.join(modelsDir, name, 'verified'), '')
    // Damaged bytes make the difference visible: hashed, they are refused; trusted, they load.
    for (const name of ['fresh', 'stale', 'newer']) {
      await version(name)
      await writeFile(path.join(modelsDir, name, 'model.onnx'), 'broken-but-stamped')
      await stamp(name)
    }
    const old = (Date.now() - 11 * 60_000) / 1000
    await utimes(path.join(modelsDir, 'stale', 'verified'), old, old)
    const later = (Date.now() + 5_000) / 1000
    await utimes(path.join(modelsDir, 'newer', 'model.onnx'), later, later)

    await point('fresh')
    await host.sync()
    expect(host.model?.meta.version).toBe('fresh')
    for (const name of ['stale', 'newer']) {
      await point(name)
      await host.sync()
      expect(host.lastLoadError, name).toMatchObject({ version: name, code: 'AGENT_MODEL_SHA256_MISMATCH' })
      expect(host.model?.meta.version).toBe('fresh')
    }
  })

  it('reports a dangling current link as a load error naming the version', async () => {
    await point('v9')
    await host.sync()
    expect(host.lastLoadError).toMatchObject({ version: 'v9', code: 'AGENT_MODEL_META_INVALID' })
    expect(host.currentTarget).toBe('v9')
  })

  it('coalesces syncs that arrive while one runs, ending on the latest target', async () => {
    await version('v1')
    await version('v2')
    await point('v1')
    const first = host.sync()
    await point('v2')
    const second = host.sync()
    await Promise.all([first, second])
    expect(host.model?.meta.version).toBe('v2')
  })

  it('stops handing out leases once closed', async () => {
    await version('v1')
    await point('v1')
    await host.sync()
    await host.close()
    expect(released).toEqual(['v1'])
    expect(() => host.acquire()).toThrow(expect.objectContaining({ code: 'AGENT_SHUTTING_DOWN' }))
  })
})
