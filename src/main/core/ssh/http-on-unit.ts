// A small HTTP request to a service on the unit, carried over the SSH connection (forwardOut to the
// unit's own loopback). Works where the port is firewalled or bound to 127.0.0.1, and where this
// computer cannot route to the unit at all except through SSH (a jump host, the lab's namespace).
import http from 'node:http'
import type { Duplex } from 'node:stream'
import { EdgeError } from '../../../shared/errors'

export interface TcpOnUnit {
  readonly where: string
  connectOnUnit(port: number, host?: string, opts?: { signal?: AbortSignal; timeoutMs?: number }): Promise<Duplex>
}

export interface HttpOnUnitRequest {
  port: number
  path: string
  method?: 'GET' | 'POST'
  body?: string
  contentType?: string
  timeoutMs?: number
  signal?: AbortSignal
}

export interface HttpOnUnitResponse {
  status: number
  body: string
}

const MAX_BODY = 4 * 1024 * 1024

export async function httpOnUnit(session: TcpOnUnit, req: HttpOnUnitRequest): Promise<HttpOnUnitResponse> {
  const timeoutMs = req.timeoutMs ?? 10_000
  const stream = await session.connectOnUnit(req.port, '127.0.0.1', { signal: req.signal, timeoutMs })
  return new Promise<HttpOnUnitResponse>((resolve, reject) => {
    const fail = (err: EdgeError) => {
      stream.destroy()
      reject(err)
    }
    const body = req.body ?? ''
    const request = http.request(
      {
        // The stream is the connection; host and port only fill the Host header.
        createConnection: () => stream as never,
        host: '127.0.0.1',
        port: req.port,
        path: req.path,
        method: req.method ?? 'GET',
        headers: { connection: 'close', ...(req.body !== undefined ? { 'content-type': req.contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) } : {}) },
        signal: req.signal,
        timeout: timeoutMs
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (c: Buffer) => {
          size += c.length
          if (size > MAX_BODY) fail(new EdgeError('INTERNAL', `answer from port ${req.port} on ${session.where} is larger than ${MAX_BODY} bytes`))
          else chunks.push(c)
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', (err) => fail(new EdgeError('SSH_LINK_LOST', session.where, { cause: err })))
      }
    )
    request.on('timeout', () => {
      request.destroy()
      fail(new EdgeError('TIMEOUT', `port ${req.port} on ${session.where}`))
    })
    request.on('error', (err) => {
      if (req.signal?.aborted) return fail(new EdgeError('JOB_CANCELLED'))
      fail(err instanceof EdgeError ? err : new EdgeError('REMOTE_PORT_CLOSED', `port ${req.port} on ${session.where} (${err.message})`, { cause: err }))
    })
    request.end(body)
  })
}
