// `edgedock discover --login` printed Node's MaxListenersExceededWarning: every session and every
// command of every unit in flight hung an abort listener on the job's one signal.
import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { loginObservations } from '../../../../../src/main/core/devices/login-facts'
import type { JobContext } from '../../../../../src/main/core/jobs/job-runner'
import type { SshService } from '../../../../../src/main/core/ssh'

// Node warns once an EventTarget has more than this many listeners for one event.
const NODE_WARNING_THRESHOLD = 10

function fakeSsh(watch: (s: AbortSignal) => void, opened: AbortSignal[]): SshService {
  const listen = (signal: AbortSignal | undefined) => {
    const onAbort = () => {}
    signal?.addEventListener('abort', onAbort, { once: true })
    if (signal) watch(signal)
    return () => signal?.removeEventListener('abort', onAbort)
  }
  return {
    async open(_target: unknown, _auth: unknown, opts: { signal?: AbortSignal }) {
      // Like the real session: it listens for as long as the link is up.
      const unlisten = listen(opts.signal)
      if (opts.signal) opened.push(opts.signal)
      await new Promise((r) => setTimeout(r, 1))
      return {
        hostKey: { fingerprint: 'SHA256:fake' },
        async run(argv: readonly string[], o: { signal?: AbortSignal }) {
          const done = listen(o.signal)
          await new Promise((r) => setTimeout(r, 1))
          done()
          return { code: 0, stdout: argv[0] === 'hostname' ? 'pi-x\n' : '', stderr: '' }
        },
        async close() {
          unlisten()
        }
      }
    }
  } as unknown as SshService
}

function fakeCtx(signal: AbortSignal): JobContext {
  return { jobId: 'j', signal, step: (_n, fn) => fn(), progress: () => {}, log: () => {}, secret: () => {}, setResult: () => {} }
}

describe('login after a sweep', () => {
  it('keeps abort listeners on any one signal under the level at which Node warns, and drops them after', async () => {
    const job = new AbortController()
    let most = 0
    const watch = (s: AbortSignal) => {
      most = Math.max(most, getEventListeners(s, 'abort').length, getEventListeners(job.signal, 'abort').length)
    }
    const ips = Array.from({ length: 30 }, (_, i) => `10.77.0.${i + 10}`)
    const out = await loginObservations(fakeSsh(watch, []), ips, { user: 'pi', password: 'pw' }, fakeCtx(job.signal), () => 0)
    expect(out).toHaveLength(30)
    expect(most).toBeGreaterThan(0)
    expect(most).toBeLessThanOrEqual(NODE_WARNING_THRESHOLD)
    expect(getEventListeners(job.signal, 'abort')).toHaveLength(0)
  })

  it('still cancels every unit in flight when the job is cancelled', async () => {
    const job = new AbortController()
    const opened: AbortSignal[] = []
    const run = loginObservations(fakeSsh(() => {}, opened), ['10.0.0.1', '10.0.0.2', '10.0.0.3'], { user: 'pi' }, fakeCtx(job.signal), () => 0)
    await new Promise((r) => setTimeout(r, 0))
    job.abort(new Error('cancelled'))
    await run.catch(() => {})
    expect(opened.length).toBeGreaterThan(0)
    expect(opened.every((s) => s.aborted)).toBe(true)
  })
})
