// The state of one session's connection: which node-ssh link is current, whether it was lost or
// closed, and the work in flight that must fail when it goes. Every piece of work races link loss,
// cancellation and its own time limit here.
import type { NodeSSH } from 'node-ssh'
import { EdgeError } from '../../../shared/errors'
import { sshError } from './ssh-errors'
import type { SshSessionOptions } from './ssh-types'

type Pending = (err: EdgeError) => void

export interface TrackedWork<T> {
  signal: AbortSignal | undefined
  timeoutMs: number
  onTimeoutError: () => EdgeError
  onTimeout: () => void
  work: () => Promise<T>
}

export class SshLink {
  private current: NodeSSH | null = null
  lost: EdgeError | null = null
  closing = false
  private readonly pending = new Set<Pending>()
  // Connections we closed on purpose (reconnect, cancel): their late close events mean nothing.
  private readonly retired = new WeakSet<NodeSSH>()

  constructor(
    readonly where: string,
    readonly secrets: readonly string[],
    private readonly options: SshSessionOptions
  ) {}

  get ssh(): NodeSSH {
    if (!this.current) throw new EdgeError('SSH_LINK_LOST', this.where)
    return this.current
  }

  get connected(): boolean {
    return !this.lost && !this.closing && !!this.current?.isConnected()
  }

  /** Makes a fresh connection the current one and starts watching it. */
  adopt(ssh: NodeSSH): void {
    this.current = ssh
    this.lost = null
    this.closing = false
    this.watch(ssh)
  }

  /** Before a reconnect: the old link goes quietly, and the session is usable again once the new one is up. */
  reset(): void {
    this.drop()
    this.lost = null
    this.closing = false
  }

  close(): void {
    this.closing = true
    this.failPending(new EdgeError('SSH_LINK_LOST', `${this.where} (closed)`))
    this.current?.dispose()
  }

  /** Cancellation closes the link at once: a command stuck on a dead unit cannot hold the job. */
  abort(reason: unknown): void {
    this.closing = true
    this.failPending(reason instanceof EdgeError ? reason : new EdgeError('JOB_CANCELLED'))
    this.drop()
  }

  drop(): void {
    if (!this.current) return
    this.retired.add(this.current)
    this.current.connection?.destroy()
    this.current.dispose()
  }

  /** Races one piece of work against link loss, cancellation and its time limit. */
  track<T>({ signal, timeoutMs, onTimeoutError, onTimeout, work }: TrackedWork<T>): Promise<T> {
    if (this.lost) return Promise.reject(this.lost)
    if (this.closing) return Promise.reject(new EdgeError('SSH_LINK_LOST', `${this.where} (closed)`))
    signal?.throwIfAborted()
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined
      const done = () => {
        clearTimeout(timer)
        this.pending.delete(fail)
        signal?.removeEventListener('abort', onAbort)
      }
      const fail: Pending = (err) => {
        done()
        reject(err)
      }
      const onAbort = () => this.abort(signal?.reason)
      this.pending.add(fail)
      signal?.addEventListener('abort', onAbort, { once: true })
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          onTimeout()
          fail(onTimeoutError())
        }, timeoutMs)
      }
      work().then(
        (value) => {
          if (!this.pending.has(fail)) return
          done()
          resolve(value)
        },
        (err: unknown) => {
          if (!this.pending.has(fail)) return
          fail(this.lost ?? sshError(err, this.where, 'session', this.secrets))
        }
      )
    })
  }

  // After login node-ssh no longer listens for errors; without this an ssh2 error would crash the app.
  private watch(ssh: NodeSSH): void {
    const conn = ssh.connection
    if (!conn) return
    const onGone = (err?: unknown) => {
      if (this.current !== ssh || this.closing || this.retired.has(ssh)) return
      this.lost = err ? sshError(err, this.where, 'session', this.secrets) : new EdgeError('SSH_LINK_LOST', this.where)
      if (this.lost.code !== 'SSH_LINK_LOST') this.lost = new EdgeError('SSH_LINK_LOST', this.where, { cause: this.lost })
      this.options.log?.('warn', `The connection to ${this.where} dropped`)
      this.failPending(this.lost)
    }
    conn.on('error', (err) => onGone(err))
    conn.on('close', () => onGone())
    conn.on('end', () => onGone())
    if (this.options.signal) {
      const outer = this.options.signal
      const onAbort = () => this.abort(outer.reason)
      outer.addEventListener('abort', onAbort, { once: true })
      conn.once('close', () => outer.removeEventListener('abort', onAbort))
    }
  }

  private failPending(err: EdgeError): void {
    for (const reject of [...this.pending]) reject(err)
    this.pending.clear()
  }
}
