// The bundled agent as a child process over a temp EDGEDOCK_ROOT: serves the digits model, switches
// versions under load without failing a request, refuses a broken model while serving the old one.
import { spawnSync } from 'node:child_process'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../helpers/temp-dir'
import { agentBundle, ensureAgentBuilt, ortDir, readDigits, startAgent, switchCurrent, writeVersion, type AgentChild } from './agent-process'

interface Health {
  status: string
  model: { name: string; version: string; sha256: string } | null
  currentTarget: string | null
  lastLoadError: { version: string; code: string; message: string } | null
  uptimeS: number
  runtime: { onnxruntime: string }
}

interface InferOk {
  output: number[]
  dims: number[]
  argmax: number[]
  latencyMs: number
  model: { version: string }
}

async function health(agent: AgentChild): Promise<{ status: number; body: Health }> {
  const res = await fetch(`${agent.url}/health`)
  return { status: res.status, body: (await res.json()) as Health }
}

async function infer(agent: AgentChild, body: unknown): Promise<{ status: number; body: InferOk & { error?: { code: string } } }> {
  const res = await fetch(`${agent.url}/infer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as InferOk & { error?: { code: string } } }
}

async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (ok(value) || Date.now() > deadline) return value
    await new Promise((r) => setTimeout(r, 50))
  }
}

function metricValue(text: string, line: string): number {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `))
  return found ? Number(found.slice(line.length + 1)) : 0
}

describe('edgedock agent (bundled, real onnxruntime-node)', () => {
  const tmp = tempDir('edgedock-agent-')
  const root = tmp.dir
  let agent: AgentChild
  let digits: Awaited<ReturnType<typeof readDigits>>
  let inferOk = 0

  beforeAll(async () => {
    ensureAgentBuilt()
    digits = await readDigits()
    await mkdir(path.join(root, 'models'), { recursive: true })
    // A long poll interval: the switches below must be seen through fs.watch.
    agent = await startAgent(root, { EDGEDOCK_POLL_MS: '60000' })
  })

  afterAll(async () => {
    const code = await agent?.stop()
    tmp.cleanup()
    expect(code).toBe(0)
  })

  it('reports no model before the first push', async () => {
    const h = await health(agent)
    expect(h.status).toBe(503)
    expect(h.body.status).toBe('no-model')
    const r = await infer(agent, { input: digits.inputs[0] })
    expect(r.status).toBe(503)
    expect(r.body.error?.code).toBe('AGENT_NO_MODEL')
  })

  it('serves the digits model once current points at it', async () => {
    await writeVersion(root, 'v1', digits.model)
    await switchCurrent(root, 'v1')
    const h = await until(() => health(agent), (x) => x.body.model?.version === 'v1')
    expect(h.body).toMatchObject({ status: 'ok', currentTarget: 'v1', lastLoadError: null, runtime: { onnxruntime: '1.30.0' } })
    expect(h.body.model?.sha256).toBe('bc860798bc7874ed5fc2b45753d75ad766bd55622edf75735dd3c6968ca6d76f')

    const one = await infer(agent, { input: digits.inputs[0] })
    inferOk++
    expect(one.status).toBe(200)
    expect(one.body.dims).toEqual([1, 10])
    expect(one.body.argmax).toEqual([digits.labels[0]])
    expect(one.body.model.version).toBe('v1')

    // The whole set as one batch: the model gets about 98% of them right (97.78% on the full test split).
    const batch = await infer(agent, { input: digits.inputs })
    inferOk++
    expect(batch.body.dims).toEqual([100, 10])
    const correct = batch.body.argmax.filter((c, i) => c === digits.labels[i]).length
    expect(correct).toBeGreaterThanOrEqual(95)

    // A correctly classified sample, sent alone with explicit dims, gets its label.
    const i = batch.body.argmax.findIndex((c, k) => c === digits.labels[k] && k > 0)
    const explicit = await infer(agent, { input: digits.inputs[i], dims: [1, 1, 8, 8] })
    inferOk++
    expect(explicit.body.argmax).toEqual([digits.labels[i]])
  })

  it('rejects a body that does not fit the model with a 400', async () => {
    const r = await infer(agent, { input: [1, 2, 3] })
    expect(r.status).toBe(400)
    expect(r.body.error?.code).toBe('AGENT_BAD_REQUEST')
  })

  it('accepts a raw little-endian float32 body with dims in the query', async () => {
    const body = Buffer.from(new Float32Array(digits.inputs[0] as number[]).buffer)
    const res = await fetch(`${agent.url}/infer?dims=1,1,8,8`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body })
    inferOk++
    expect(res.status).toBe(200)
    expect(((await res.json()) as InferOk).argmax).toEqual([digits.labels[0]])
  })

  it('switches to a new version while requests stream, failing none', async () => {
    await writeVersion(root, 'v2', digits.model)
    const versions = new Set<string>()
    const failures: string[] = []
    let switched = false
    let stopAt = Infinity
    const worker = async (): Promise<void> => {
      for (let k = 0; Date.now() < stopAt; k++) {
        const sample = k % digits.inputs.length
        try {
          const r = await infer(agent, { input: digits.inputs[sample] })
          if (r.status !== 200) failures.push(`${r.status} ${JSON.stringify(r.body)}`)
          else {
            inferOk++
            versions.add(r.body.model.version)
            if (r.body.model.version === 'v2' && stopAt === Infinity) stopAt = Date.now() + 300
          }
        } catch (err) {
          failures.push(String(err))
        }
      }
    }
    const workers = [worker(), worker(), worker(), worker()]
    await new Promise((r) => setTimeout(r, 150))
    await switchCurrent(root, 'v2')
    switched = true
    const watchdog = setTimeout(() => (stopAt = 0), 10_000)
    await Promise.all(workers)
    clearTimeout(watchdog)
    expect(switched).toBe(true)
    expect(failures).toEqual([])
    expect([...versions].sort()).toEqual(['v1', 'v2'])
    await agent.waitForLine(/^model-released version=v1/)
    expect((await health(agent)).body).toMatchObject({ status: 'ok', model: { version: 'v2' } })
  })

  it('keeps serving the previous version when the new model does not load, and reports it', async () => {
    // Cut short but with a matching sha256, so it reaches ONNX Runtime (as a bad export would).
    await writeVersion(root, 'v3', digits.model.subarray(0, 4000))
    await switchCurrent(root, 'v3')
    const h = await until(() => health(agent), (x) => x.body.lastLoadError !== null)
    expect(h.status).toBe(200)
    expect(h.body).toMatchObject({ status: 'degraded', model: { version: 'v2' }, currentTarget: 'v3', lastLoadError: { version: 'v3', code: 'AGENT_MODEL_LOAD_FAILED' } })
    const r = await infer(agent, { input: digits.inputs[0] })
    inferOk++
    expect(r.body.model.version).toBe('v2')

    // A model whose bytes do not match meta.json's sha256 never reaches ONNX Runtime.
    await writeVersion(root, 'v4', digits.model, '0'.repeat(64))
    await switchCurrent(root, 'v4')
    const h4 = await until(() => health(agent), (x) => x.body.lastLoadError?.version === 'v4')
    expect(h4.body.lastLoadError?.code).toBe('AGENT_MODEL_SHA256_MISMATCH')
    expect(h4.body.model?.version).toBe('v2')

    // Rollback is one more switch: the error clears and the status is ok again.
    await switchCurrent(root, 'v2')
    const back = await until(() => health(agent), (x) => x.body.status === 'ok')
    expect(back.body).toMatchObject({ status: 'ok', currentTarget: 'v2', lastLoadError: null })
  })

  it('counts requests, errors, latency and the model version in /metrics', async () => {
    const res = await fetch(`${agent.url}/metrics`)
    expect(res.headers.get('content-type')).toContain('text/plain')
    const text = await res.text()
    expect(metricValue(text, 'edgedock_http_requests_total{route="/infer",status="200"}')).toBe(inferOk)
    expect(metricValue(text, 'edgedock_http_requests_total{route="/infer",status="503"}')).toBe(1)
    expect(metricValue(text, 'edgedock_http_requests_total{route="/infer",status="400"}')).toBe(1)
    expect(metricValue(text, 'edgedock_errors_total{code="AGENT_NO_MODEL"}')).toBe(1)
    expect(metricValue(text, 'edgedock_inference_duration_seconds_count')).toBe(inferOk)
    expect(metricValue(text, 'edgedock_model_reloads_total{outcome="failed"}')).toBe(2)
    expect(text).toMatch(/^edgedock_model_info\{name="digits",version="v2",sha256="bc8607[0-9a-f]+"\} 1$/m)
  })

  it('runs a benchmark and prints JSON', () => {
    const r = spawnSync(process.execPath, [agentBundle, 'bench', '--model', path.join(root, 'models', 'v1'), '--runs', '20', '--duration', '0', '--warmup', '2', '--threads', '1'], {
      env: { ...process.env, EDGEDOCK_ORT_DIR: ortDir },
      encoding: 'utf8'
    })
    expect(r.status).toBe(0)
    const result = JSON.parse(r.stdout) as Record<string, unknown>
    expect(result).toMatchObject({ runs: 20, warmup: 2, inputDims: [1, 1, 8, 8] })
    for (const key of ['p50Ms', 'p95Ms', 'meanMs', 'minMs', 'maxMs', 'rssMb']) expect(result[key]).toEqual(expect.any(Number))
  })

  it('exits with EX_CONFIG and one clear line when the runtime directory has no binding', () => {
    const r = spawnSync(process.execPath, [agentBundle, 'version'], { env: { ...process.env, EDGEDOCK_ORT_DIR: path.join(root, 'nowhere') }, encoding: 'utf8' })
    expect(r.status).toBe(78)
    expect(r.stdout).toMatch(/^runtime-error message=".*no onnxruntime binding for linux\//)
  })
})
