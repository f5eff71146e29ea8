// Minimal clients for QEMU's QMP socket and the guest agent (qemu-guest-agent) socket.
import * as net from 'node:net'

class JsonLineSocket {
  private buf = ''
  private waiters: ((msg: Record<string, unknown>) => boolean)[] = []
  constructor(private sock: net.Socket) {
    sock.setEncoding('utf8')
    sock.on('data', (d: string) => {
      this.buf += d
      let i: number
      while ((i = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, i).trim()
        this.buf = this.buf.slice(i + 1)
        if (!line) continue
        let msg: Record<string, unknown>
        try {
          msg = JSON.parse(line.replace(/^\xff/, '')) as Record<string, unknown>
        } catch {
          continue
        }
        this.waiters = this.waiters.filter((w) => !w(msg))
      }
    })
  }
  next(pred: (m: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter)
        reject(new Error('timed out waiting for QEMU'))
      }, timeoutMs)
      const waiter = (m: Record<string, unknown>): boolean => {
        if (!pred(m)) return false
        clearTimeout(timer)
        resolve(m)
        return true
      }
      this.waiters.push(waiter)
      this.sock.once('close', () => {
        clearTimeout(timer)
        reject(new Error('QEMU socket closed'))
      })
    })
  }
  send(obj: unknown): void {
    this.sock.write(`${JSON.stringify(obj)}\n`)
  }
  close(): void {
    this.sock.destroy()
  }
}

function connect(path: string, timeoutMs = 5000): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection(path)
    const t = setTimeout(() => {
      s.destroy()
      reject(new Error(`connect ${path} timed out`))
    }, timeoutMs)
    s.once('connect', () => {
      clearTimeout(t)
      resolve(s)
    })
    s.once('error', (e) => {
      clearTimeout(t)
      reject(e)
    })
  })
}

/** Run one QMP command (with capabilities negotiation) and return its result. */
export async function qmp(path: string, execute: string, args?: Record<string, unknown>, timeoutMs = 60_000): Promise<unknown> {
  const sock = await connect(path)
  sock.on('error', () => {})
  const j = new JsonLineSocket(sock)
  try {
    await j.next((m) => 'QMP' in m, 5000)
    j.send({ execute: 'qmp_capabilities' })
    await j.next((m) => 'return' in m || 'error' in m, 5000)
    j.send({ execute, arguments: args ?? {}, id: 'lab' })
    const r = await j.next((m) => m.id === 'lab', timeoutMs)
    if ('error' in r) throw new Error(`QMP ${execute}: ${JSON.stringify(r.error)}`)
    return r.return
  } finally {
    j.close()
  }
}

export async function hmp(path: string, command: string, timeoutMs = 300_000): Promise<string> {
  const r = await qmp(path, 'human-monitor-command', { 'command-line': command }, timeoutMs)
  return String(r ?? '')
}

/** Find the pty QEMU allocated for a chardev. */
export async function chardevPty(path: string, id: string): Promise<string | undefined> {
  const r = (await qmp(path, 'query-chardev')) as { label: string; filename: string }[]
  const c = r.find((x) => x.label === id)
  return c?.filename.startsWith('pty:') ? c.filename.slice(4) : undefined
}

let syncId = Math.floor(Math.random() * 1e6)

/** Talk to qemu-guest-agent: one command, with guest-sync first to skip stale replies. */
export async function qga(path: string, execute: string, args?: Record<string, unknown>, timeoutMs = 10_000): Promise<unknown> {
  const sock = await connect(path)
  sock.on('error', () => {})
  const j = new JsonLineSocket(sock)
  try {
    const id = ++syncId
    j.send({ execute: 'guest-sync', arguments: { id } })
    await j.next((m) => m.return === id, timeoutMs)
    j.send({ execute, arguments: args ?? {} })
    const r = await j.next((m) => 'return' in m || 'error' in m, timeoutMs)
    if ('error' in r) throw new Error(`guest agent ${execute}: ${JSON.stringify(r.error)}`)
    return r.return
  } finally {
    j.close()
  }
}

export interface GuestExecResult {
  code: number
  stdout: string
  stderr: string
}

/** Run a program in the guest through the agent and wait for it. */
export async function guestExec(path: string, cmd: string, args: string[], timeoutMs = 120_000): Promise<GuestExecResult> {
  const { pid } = (await qga(path, 'guest-exec', { path: cmd, arg: args, 'capture-output': true })) as { pid: number }
  const t0 = Date.now()
  for (;;) {
    const st = (await qga(path, 'guest-exec-status', { pid })) as {
      exited: boolean
      exitcode?: number
      signal?: number
      'out-data'?: string
      'err-data'?: string
    }
    if (st.exited) {
      return {
        code: st.exitcode ?? 128 + (st.signal ?? 0),
        stdout: Buffer.from(st['out-data'] ?? '', 'base64').toString(),
        stderr: Buffer.from(st['err-data'] ?? '', 'base64').toString()
      }
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`guest command ${cmd} timed out`)
    await new Promise((r) => setTimeout(r, 250))
  }
}
