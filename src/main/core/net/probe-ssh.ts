// Is SSH up at host:port? Connects, reads the server's identification line ("SSH-2.0-OpenSSH_9.2p1
// Debian-2+deb12u3"), and hangs up before any key exchange: nothing is offered, nothing is logged in.
import net from 'node:net'
import { EdgeError } from '../../../shared/errors'

export interface SshProbe {
  banner: string
  latencyMs: number
}

export function probeSsh(host: string, port: number, timeoutMs = 3000, signal?: AbortSignal): Promise<SshProbe> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const where = `${host}:${port}`
    const socket = net.connect({ host, port })
    let buffer = ''
    const finish = (err: Error | null, value?: SshProbe) => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      socket.destroy()
      if (err) reject(err)
      else resolve(value as SshProbe)
    }
    const onAbort = () => finish(signal?.reason instanceof Error ? signal.reason : new EdgeError('JOB_CANCELLED'))
    const timer = setTimeout(() => finish(new EdgeError('TIMEOUT', where)), timeoutMs)
    signal?.addEventListener('abort', onAbort, { once: true })
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      buffer += chunk
      // RFC 4253: the server may send other lines first; the identification line starts with "SSH-".
      for (const line of buffer.split(/\r?\n/).slice(0, -1)) {
        if (line.startsWith('SSH-')) return finish(null, { banner: line.slice(0, 255), latencyMs: Date.now() - started })
      }
      if (buffer.length > 8192) finish(new EdgeError('CONNECTION_REFUSED', where))
    })
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') finish(new EdgeError('CONNECTION_REFUSED', where, { cause: err }))
      else finish(new EdgeError('HOST_UNREACHABLE', where, { cause: err }))
    })
    socket.on('end', () => finish(new EdgeError('CONNECTION_REFUSED', where)))
  })
}
