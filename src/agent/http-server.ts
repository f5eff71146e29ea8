// The inference service's HTTP face: GET /health, POST /infer, GET /metrics. Plain node:http, so the
// bundle carries no framework to the device.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { AgentError, errorText } from './agent-error'
import type { Logger } from './log'
import type { AgentMetrics } from './metrics'
import type { ModelHost } from './model-host'
import type { AgentErrorBody, HealthResponse, InferResponse } from './protocol'
import { argmaxPerRow, flattenInput, resolveDims } from './resolve-dims'

export interface ServerDeps {
  host: ModelHost
  metrics: AgentMetrics
  log: Logger
  maxBodyBytes: number
  runtime: HealthResponse['runtime']
  startedAt: number
}

function send(res: http.ServerResponse, status: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' })
  res.end(text)
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = (what: string): AgentError => new AgentError('AGENT_PAYLOAD_TOO_LARGE', `${what}; the limit is ${limit} bytes`, 413)
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > limit) {
      req.resume()
      reject(tooLarge(`the body is ${declared} bytes`))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (chunk: Buffer) => {
      if (over) return
      size += chunk.length
      if (size > limit) {
        // Keep reading (and dropping) so the client gets the 413 rather than a reset connection.
        over = true
        chunks.length = 0
        reject(tooLarge('the body is larger'))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000

/**
 * JSON `{input, dims?}`, or raw little-endian float32 (`content-type: application/octet-stream`,
 * dims in `?dims=1,3,224,224` or left to the model): a 224x224 image is 600 KB raw against about
 * 1 MB of JSON that a Pi spends milliseconds parsing.
 */
function parseInferBody(req: http.IncomingMessage, raw: Buffer, query: URLSearchParams): { data: number[] | Float32Array; rows: number | null; dims: number[] | null } {
  if ((req.headers['content-type'] ?? '').startsWith('application/octet-stream')) {
    if (raw.length === 0 || raw.length % 4 !== 0) throw new AgentError('AGENT_BAD_REQUEST', `a raw float32 body must be a non-empty multiple of 4 bytes, got ${raw.length}`, 400)
    const dimsText = query.get('dims')
    const dims = dimsText ? dimsText.split(',').map(Number) : null
    if (dims && dims.some((d) => !Number.isInteger(d) || d < 0)) throw new AgentError('AGENT_BAD_REQUEST', 'dims must be comma-separated non-negative integers', 400)
    // Copied into an aligned buffer: Buffer slices from the pool need not start on a 4-byte boundary.
    const data = new Float32Array(raw.length / 4)
    new Uint8Array(data.buffer).set(raw)
    return { data, rows: null, dims }
  }
  let body: unknown
  try {
    body = JSON.parse(raw.toString('utf8'))
  } catch (err) {
    throw new AgentError('AGENT_BAD_REQUEST', `the body is not JSON: ${errorText(err)}`, 400)
  }
  return flattenInput(body)
}

async function infer(deps: ServerDeps, req: http.IncomingMessage, query: URLSearchParams): Promise<InferResponse> {
  const raw = await readBody(req, deps.maxBodyBytes)
  const flat = parseInferBody(req, raw, query)
  // The lease pins this model until the response is built, so a reload in between cannot release it.
  const lease = deps.host.acquire()
  try {
    const { session, meta } = lease.model
    const dims = resolveDims(session.inputShape, flat.data.length, flat.rows, flat.dims)
    const started = process.hrtime.bigint()
    const out = await session.run(flat.data, dims)
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    deps.metrics.observeLatency(seconds)
    return { output: Array.from(out.data), dims: out.dims, argmax: argmaxPerRow(out.data, out.dims), latencyMs: round3(seconds * 1000), model: { version: meta.version } }
  } finally {
    lease.release()
  }
}

function health(deps: ServerDeps): HealthResponse {
  const model = deps.host.model
  return {
    status: deps.host.status,
    model: model ? { ...model.meta } : null,
    currentTarget: deps.host.currentTarget,
    lastLoadError: deps.host.lastLoadError,
    uptimeS: Math.round((Date.now() - deps.startedAt) / 1000),
    runtime: deps.runtime
  }
}

async function route(deps: ServerDeps, req: http.IncomingMessage, res: http.ServerResponse, path: string, query: URLSearchParams): Promise<number> {
  const method = req.method ?? 'GET'
  const allow = (m: string): void => {
    if (method !== m) throw new AgentError('AGENT_BAD_REQUEST', `${path} takes ${m}`, 405)
  }
  switch (path) {
    case '/health': {
      allow('GET')
      const body = health(deps)
      const status = body.status === 'no-model' ? 503 : 200
      send(res, status, body)
      return status
    }
    case '/infer':
      allow('POST')
      send(res, 200, await infer(deps, req, query))
      return 200
    case '/metrics': {
      allow('GET')
      const uptime = Math.round((Date.now() - deps.startedAt) / 1000)
      send(res, 200, deps.metrics.render(deps.host.model?.meta ?? null, uptime, process.memoryUsage().rss), 'text/plain; version=0.0.4')
      return 200
    }
    default:
      throw new AgentError('AGENT_NOT_FOUND', `no route ${path}`, 404)
  }
}

export function createAgentServer(deps: ServerDeps): http.Server {
  return http.createServer((req, res) => {
    const [path = '/', search = ''] = (req.url ?? '/').split('?', 2)
    route(deps, req, res, path, new URLSearchParams(search)).then(
      (status) => deps.metrics.countRequest(path, status),
      (err: unknown) => {
        const known = err instanceof AgentError ? err : new AgentError('AGENT_RUN_FAILED', errorText(err), 500, { cause: err })
        deps.metrics.countRequest(path, known.httpStatus)
        deps.metrics.countError(known.code)
        if (known.httpStatus >= 500) deps.log('request-failed', { route: path, code: known.code, message: known.message })
        const body: AgentErrorBody = { error: { code: known.code, message: known.message } }
        if (!res.headersSent) send(res, known.httpStatus, body)
        else res.destroy()
      }
    )
  })
}

export function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve(server.address() as AddressInfo)
    })
  })
}
