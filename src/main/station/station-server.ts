// The headless station: serves the built renderer over HTTP and the contract over WebSocket,
// behind a token, on 127.0.0.1 unless told otherwise. Same dispatch as Electron IPC and the CLI.
import { createReadStream, statSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { isEventName } from '../../shared/contract'
import type { EdgeDockApp } from '../app/create-app'
import { EdgeError, serializeError } from '../../shared/errors'
import { COOKIE, hostAllowed, newToken, sameOrigin, sameToken, servedHosts, tokenFrom } from './auth'
import { CSP } from './csp'
import { receiveUpload } from '../api/user-files'

const MAX_UPLOAD_BYTES = 2 * 1024 ** 3
// Contract calls are small JSON; anything large (a model, a sample set) goes through POST /upload
// and the call names the upload id. A bigger frame closes that socket with 1009, nothing more.
export const MAX_FRAME_BYTES = 1 << 20

export interface StationOptions {
  app: Pick<EdgeDockApp, 'dispatch' | 'events'> & { services: { dataDir: string } }
  rendererDir: string
  host?: string
  port?: number
  token?: string
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2'
}

export interface Station {
  url: string
  token: string
  port: number
  close(): Promise<void>
}

export async function startStation(opts: StationOptions): Promise<Station> {
  const token = opts.token ?? newToken()
  const root = path.resolve(opts.rendererDir)

  // Filled once the port is known; a request naming another host (DNS rebinding) is refused.
  let allowedHosts = new Set<string>()
  const server = http.createServer((req, res) => {
    const { query, cookie } = tokenFrom(req)
    const base = {
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store'
    }
    if (!hostAllowed(req, allowedHosts)) {
      res.writeHead(403, { ...base, 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('403: open the station by the address it printed.\n')
      return
    }
    if (!sameToken(query, token) && !sameToken(cookie, token)) {
      res.writeHead(401, { ...base, 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('401: open the link the station printed, with its token.\n')
      return
    }
    if (req.method === 'POST' && req.url?.startsWith('/upload')) {
      // Files from the browser (a model, a sample set) land in the data folder; calls then name the upload id.
      if (!sameOrigin(req)) {
        res.writeHead(403, base).end()
        return
      }
      receiveUpload(opts.app.services.dataDir, req, MAX_UPLOAD_BYTES).then(
        (upload) => {
          res.writeHead(200, { ...base, 'Content-Type': 'application/json' })
          res.end(JSON.stringify({ upload }))
        },
        (err: unknown) => {
          res.writeHead(413, { ...base, 'Content-Type': 'text/plain; charset=utf-8' })
          res.end(String((err as Error).message))
        }
      )
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, base).end()
      return
    }
    let pathname = '/'
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    } catch {
      // A malformed escape is treated like an unknown path: the app, never a crash.
    }
    let file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`)
    // Only files inside the renderer folder; an unknown path gets the app (client-side routes).
    if (!file.startsWith(root + path.sep)) file = path.join(root, 'index.html')
    let stat = statSafe(file)
    if (!stat?.isFile()) {
      file = path.join(root, 'index.html')
      stat = statSafe(file)
    }
    if (!stat?.isFile()) {
      res.writeHead(503, { ...base, 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('The UI is not built yet: run "npm run build".\n')
      return
    }
    const headers: Record<string, string> = {
      ...base,
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': String(stat.size),
      'Content-Security-Policy': CSP,
      'X-Frame-Options': 'DENY'
    }
    if (sameToken(query, token)) headers['Set-Cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`
    res.writeHead(200, headers)
    if (req.method === 'HEAD') res.end()
    else createReadStream(file).pipe(res)
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  // A failing socket is that client's problem; it must never take the station down.
  wss.on('error', () => {})
  server.on('clientError', (_err, socket) => socket.destroy())
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy())
    const { query, cookie } = tokenFrom(req)
    let pathname = ''
    try {
      pathname = new URL(req.url ?? '/', 'http://x').pathname
    } catch {
      // An unparsable URL is simply not /ws.
    }
    if (pathname !== '/ws' || !hostAllowed(req, allowedHosts) || !sameOrigin(req) || !(sameToken(cookie, token) || sameToken(query, token))) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, opts.app))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve())
  })
  const addr = server.address() as AddressInfo
  allowedHosts = servedHosts(opts.host ?? '127.0.0.1', addr.port)
  const hostForUrl = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address
  return {
    url: `http://${hostForUrl}:${addr.port}/?token=${token}`,
    token,
    port: addr.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate()
        wss.close()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

function statSafe(file: string) {
  try {
    return statSync(file)
  } catch {
    return null
  }
}

// Messages: {id, method, input} -> {id, result}; events are pushed as {event, payload}. A frame
// that is not such an object gets {id, result: {ok: false, error}} like any refused call.
function serveSocket(ws: WebSocket, app: Pick<EdgeDockApp, 'dispatch' | 'events'>): void {
  const unsubscribe = app.events.subscribe((event, payload) => {
    if (ws.readyState === ws.OPEN && isEventName(event)) ws.send(JSON.stringify({ event, payload }))
  })
  ws.on('close', unsubscribe)
  // Oversized frames and invalid UTF-8 arrive here after ws has closed with 1009 / 1007.
  ws.on('error', () => {})
  const reply = (id: unknown, result: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }))
  }
  const refuse = (id: unknown, detail: string) =>
    reply(id ?? null, { ok: false, error: serializeError(new EdgeError('INVALID_INPUT', detail)) })
  ws.on('message', (data, isBinary) => {
    if (isBinary) return refuse(null, 'send text frames holding a JSON object {id, method, input}')
    let msg: unknown
    try {
      msg = JSON.parse(String(data))
    } catch {
      return refuse(null, 'the message is not JSON; send a JSON object {id, method, input}')
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      return refuse(null, 'the message must be a JSON object {id, method, input}')
    }
    const { id, method, input } = msg as { id?: unknown; method?: unknown; input?: unknown }
    app.dispatch(method, input, { transport: 'station' }).then(
      (result) => reply(id, result),
      () => reply(id, { ok: false, error: serializeError(new EdgeError('INTERNAL', String(method).slice(0, 80))) })
    )
  })
}
