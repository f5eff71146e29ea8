// Holds the model being served and swaps it when `current` moves, without dropping requests in
// flight: the new session is loaded first, then swapped in, and the old one is released only when
// the last request that leased it has finished. A model that fails to load never replaces one that
// works; the failure is kept for /health so the desktop can roll back.
import path from 'node:path'
import { AgentError, errorText } from './agent-error'
import type { Logger } from './log'
import { readModelDir, resolveCurrent } from './model-dir'
import type { ModelSession } from './ort-session'
import type { HealthStatus, LoadErrorInfo, ModelMeta } from './protocol'

export interface LoadedModel {
  readonly dir: string
  readonly meta: ModelMeta
  readonly session: ModelSession
  readonly loadedAt: number
  inFlight: number
  retired: boolean
}

export interface Lease {
  readonly model: LoadedModel
  release(): void
}

export type OpenSession = (bytes: Uint8Array) => Promise<ModelSession>

export interface ModelHostDeps {
  modelsDir: string
  open: OpenSession
  log: Logger
  now?: () => number
  onLoad?: (outcome: 'ok' | 'failed', meta: ModelMeta | null) => void
}

export class ModelHost {
  private active: LoadedModel | null = null
  private target: string | null = null
  private failedTarget: string | null = null
  private loadError: LoadErrorInfo | null = null
  private running: Promise<void> | null = null
  private rerun = false
  private closed = false
  private readonly now: () => number

  constructor(private readonly deps: ModelHostDeps) {
    this.now = deps.now ?? Date.now
  }

  get model(): LoadedModel | null {
    return this.active
  }

  get lastLoadError(): LoadErrorInfo | null {
    return this.loadError
  }

  get currentTarget(): string | null {
    return this.target === null ? null : path.basename(this.target)
  }

  get status(): HealthStatus {
    if (!this.active) return 'no-model'
    return this.loadError || this.target !== this.active.dir ? 'degraded' : 'ok'
  }

  /** Takes the active model for one request; release() must be called when the request ends. */
  acquire(): Lease {
    const model = this.active
    if (this.closed) throw new AgentError('AGENT_SHUTTING_DOWN', 'the agent is shutting down', 503)
    if (!model) throw new AgentError('AGENT_NO_MODEL', this.noModelMessage(), 503)
    model.inFlight++
    let released = false
    return {
      model,
      release: () => {
        if (released) return
        released = true
        model.inFlight--
        if (model.retired && model.inFlight === 0) void this.dispose(model)
      }
    }
  }

  /** Brings the served model in line with `current`. Calls made while one runs coalesce into one rerun. */
  sync(): Promise<void> {
    if (this.running) {
      this.rerun = true
      return this.running
    }
    this.running = (async () => {
      try {
        do {
          this.rerun = false
          try {
            await this.syncOnce()
          } catch (err) {
            // The watcher fires this without awaiting: a throw here would be an unhandled rejection
            // and take the service down over, say, a link that vanished between two syscalls.
            this.deps.log('sync-failed', { message: errorText(err) })
          }
        } while (this.rerun && !this.closed)
      } finally {
        this.running = null
      }
    })()
    return this.running
  }

  /** Stops taking requests, waits for those in flight, releases every session. */
  async close(): Promise<void> {
    this.closed = true
    await this.running
    const model = this.active
    this.active = null
    if (model) {
      model.retired = true
      if (model.inFlight === 0) await this.dispose(model)
    }
  }

  private noModelMessage(): string {
    if (this.loadError) return `no model is loaded: ${this.loadError.message}`
    return `no model is installed (no ${path.join(this.deps.modelsDir, 'current')} link)`
  }

  private async syncOnce(): Promise<void> {
    const target = await resolveCurrent(this.deps.modelsDir)
    if (target !== this.target) {
      this.deps.log('current-changed', { target: target ? path.basename(target) : null })
      this.target = target
    }
    if (target === null || this.closed) return
    if (this.active?.dir === target) {
      // A rollback to the version being served: the earlier failure no longer applies.
      if (this.loadError) this.deps.log('load-error-cleared', { version: this.active.meta.version })
      this.loadError = null
      this.failedTarget = null
      return
    }
    // Retrying the same broken directory on every poll would flood the journal; a new push moves the link.
    if (target === this.failedTarget) return
    await this.load(target)
  }

  private async load(dir: string): Promise<void> {
    const started = this.now()
    let files: Awaited<ReturnType<typeof readModelDir>> | null = null
    try {
      files = await readModelDir(dir)
      const session = await this.deps.open(files.bytes)
      const next: LoadedModel = { dir, meta: files.meta, session, loadedAt: this.now(), inFlight: 0, retired: false }
      if (this.closed) {
        await session.release()
        return
      }
      const previous = this.active
      this.active = next
      this.loadError = null
      this.failedTarget = null
      this.deps.log('model-loaded', { name: next.meta.name, version: next.meta.version, sha256: next.meta.sha256, checked: files.checked, ms: this.now() - started, previous: previous?.meta.version })
      this.deps.onLoad?.('ok', next.meta)
      if (previous) {
        previous.retired = true
        if (previous.inFlight === 0) await this.dispose(previous)
      }
    } catch (err) {
      const code = err instanceof AgentError ? err.code : 'AGENT_MODEL_LOAD_FAILED'
      const version = files?.meta.version ?? path.basename(dir)
      this.loadError = { version, code, message: errorText(err), at: new Date(this.now()).toISOString() }
      this.failedTarget = dir
      this.deps.log('model-load-failed', { version, code, message: errorText(err), serving: this.active?.meta.version ?? null })
      this.deps.onLoad?.('failed', files?.meta ?? null)
    }
  }

  private async dispose(model: LoadedModel): Promise<void> {
    try {
      await model.session.release()
      this.deps.log('model-released', { version: model.meta.version })
    } catch (err) {
      this.deps.log('model-release-failed', { version: model.meta.version, message: errorText(err) })
    }
  }
}
