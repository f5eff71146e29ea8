// HTTP to a service on the unit through the SSH connection (forwardOut to the unit's loopback): how
// EdgeDock reads the inference service's /health where port 8080 is firewalled or bound to 127.0.0.1.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fileSecretBox, httpOnUnit, loadOrCreateIdentity, openSshSession, type HostKeyStore, type SshSession } from '../../../src/main/core/ssh'
import { ensureTestUser, freePort, Sshd, sshdSkipReason, TEST_USER } from './sshd-fixture'

const skip = sshdSkipReason()
if (skip) console.warn(`[ssh integration] skipped: ${skip}`)

describe.skipIf(!!skip)('HTTP on the unit over SSH', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'edgedock-http-on-unit-'))
  const hostKeys: HostKeyStore = (() => {
    const rows = new Map<string, { algorithm: string; fingerprint: string; pinnedAt: number }>()
    return { get: (h, p) => rows.get(`${h}:${p}`), pin: (k) => void rows.set(`${k.host}:${k.port}`, k) }
  })()
  let sshd: Sshd
  let session: SshSession
  let server: http.Server
  let port = 0

  beforeAll(async () => {
    const id = loadOrCreateIdentity(path.join(work, 'keys'), fileSecretBox(path.join(work, 'keys', 'secret.key')))
    ensureTestUser(`pw-${randomBytes(9).toString('base64url')}`)
    sshd = await Sshd.start([id.publicKey])
    session = await openSshSession({ host: '127.0.0.1', port: sshd.port, username: TEST_USER }, { privateKey: id.privateKey }, { hostKeys })
    // Bound to loopback only, as a service behind a firewall looks from outside.
    server = http.createServer((req, res) => {
      let body = ''
      req.on('data', (d: Buffer) => (body += d.toString()))
      req.on('end', () => {
        res.writeHead(req.url === '/health' ? 503 : 200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ method: req.method, url: req.url, body }))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    port = (server.address() as AddressInfo).port
  })
  afterAll(async () => {
    await session?.close()
    await sshd?.dispose()
    server?.close()
    rmSync(work, { recursive: true, force: true })
  })

  it('GETs and POSTs through the session, status and body as the service sent them', async () => {
    expect(await httpOnUnit(session, { port, path: '/health' })).toEqual({ status: 503, body: JSON.stringify({ method: 'GET', url: '/health', body: '' }) })
    const posted = await httpOnUnit(session, { port, path: '/infer', method: 'POST', body: '{"input":[1,2]}' })
    expect(JSON.parse(posted.body)).toEqual({ method: 'POST', url: '/infer', body: '{"input":[1,2]}' })
    // The session is still good for commands afterwards.
    expect((await session.run(['true'])).code).toBe(0)
  })

  it('says plainly that nothing listens when the port is closed', async () => {
    const closed = await freePort()
    await expect(httpOnUnit(session, { port: closed, path: '/health', timeoutMs: 5000 })).rejects.toMatchObject({ code: 'REMOTE_PORT_CLOSED', message: expect.stringMatching(/^Nothing answers on port \d+ of 127\.0\.0\.1/) })
  })
})
