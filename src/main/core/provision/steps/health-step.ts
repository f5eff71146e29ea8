// A read-only health check after the handlers have restarted the service: systemd says it is
// active and, when a URL is given, the service answers on it. `model` is the model the profile
// assigned: when one is, the answer must be a healthy report serving it; when none is (empty), the
// inference service's "no model yet" (its /health answers 503 with status no-model) is the expected
// state of a unit that got the runtime only, so it passes and the step's note says so.
import * as z from 'zod'
import type { Text } from '../../../../shared/domain'
import { text } from '../../../../shared/texts'
import type { HealthResponse } from '../../../../agent/protocol'
import type { RunResult } from '../remote-shell'
import { defineStep, type StepEnv } from '../step-kind'

const params = z.strictObject({
  service: z.string().regex(/^[A-Za-z0-9@_.-]{1,64}$/).default('edgedock-inference'),
  url: z.string().regex(/^http:\/\/(?:localhost|127\.0\.0\.1)(?::[0-9]{1,5})?\/[A-Za-z0-9._/-]*$/, 'must be a http://localhost URL').optional(),
  model: z.string().regex(/^$|^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/, 'must be a model name from the library').default(''),
  attempts: z.number().int().min(1).max(60).default(10)
})
type P = z.infer<typeof params>

const RETRY_MS = 1_000
// Without -f curl prints the body of a 503 too; the status code goes to stderr, after any error.
const WRITE_OUT = '%{stderr}edgedock-http-code:%{http_code}\\n'
const HTTP_CODE_RE = /edgedock-http-code:(\d{3})\n?/

interface Answer {
  /** The HTTP status, or null when curl did not say (no answer at all). */
  code: number | null
  /** The agent's health report, when the body is one. */
  report: Partial<HealthResponse> | null
  curl: RunResult
}

type Verdict = { pass: string } | { retry: string }

function parseAnswer(curl: RunResult): Answer {
  const m = HTTP_CODE_RE.exec(curl.stderr)
  const code = m ? Number(m[1]) : null
  let report: Partial<HealthResponse> | null = null
  try {
    const body = JSON.parse(curl.stdout) as unknown
    if (body && typeof body === 'object' && typeof (body as { status?: unknown }).status === 'string') report = body as Partial<HealthResponse>
  } catch {
    report = null
  }
  // The marker is ours, not the unit's: kept out of what a failure quotes and logs.
  const stderr = curl.stderr.replace(HTTP_CODE_RE, '')
  return { code: code === 0 ? null : code, report, curl: { ...curl, stderr } }
}

const served = (r: Partial<HealthResponse> | null) => (r?.model ? `${r.model.name}@${r.model.version}` : null)

/** `faces@3` names one version; a bare `faces` is satisfied by any version of it. */
const isAssigned = (model: string, r: Partial<HealthResponse> | null) =>
  r?.model ? (model.includes('@') ? served(r) === model : r.model.name === model) : false

function judge(p: P, a: Answer): Verdict {
  const { report } = a
  const said = [a.code !== null ? `HTTP ${a.code}` : null, report ? `status ${report.status}` : null].filter(Boolean).join(', ')
  if (a.curl.code !== 0 || (a.code === null && !report)) return { retry: `did not answer${a.code ? ` (HTTP ${a.code})` : ''}` }
  if (p.model) {
    if (report?.status === 'ok' && isAssigned(p.model, report)) return { pass: `${p.service} runs and serves ${served(report)}` }
    const serving = served(report)
    return { retry: `does not serve ${p.model} (${said}${report ? `, serving ${serving ?? 'nothing'}` : ''}${report?.lastLoadError ? `, load error: ${report.lastLoadError.message}` : ''})` }
  }
  if (report?.status === 'no-model') return { pass: `${p.service} runs; no model yet (none assigned)` }
  if (report?.status === 'ok') return { pass: `${p.service} runs${served(report) ? ` and serves ${served(report)}` : ''}` }
  if (report?.status === 'degraded') {
    // Serving, but not what `current` names: a technician should see that, though no step here caused it.
    return { pass: `${p.service} runs, degraded: serves ${served(report) ?? 'nothing'}${report.lastLoadError ? `; ${report.lastLoadError.version} failed to load` : ''}` }
  }
  if (a.code !== null && a.code >= 200 && a.code < 300) return { pass: `${p.service} runs and ${p.url} answers (HTTP ${a.code})` }
  return { retry: `did not answer as healthy (${said || 'no health report'})` }
}

async function probe(env: StepEnv, url: string): Promise<Answer> {
  return parseAnswer(await env.io.read(['curl', '-sS', '--max-time', '5', '--write-out', WRITE_OUT, url]))
}

export const healthStep = defineStep<P, { note: string | Text }>({
  kind: 'health',
  params,
  title: (p) => text('pstep.health', { service: p.service }),
  final: true,
  dryRunNote: text('note.checkedAfterRealRun'),
  async check(env, p) {
    // A service just restarted by a handler may need a moment before it reports active and answers.
    for (let i = 1; ; i++) {
      const active = await env.io.read(['systemctl', 'is-active', p.service])
      if (active.code === 0 && !p.url) return { note: text('note.serviceRuns', { service: p.service }) }
      const answer = active.code === 0 && p.url ? await probe(env, p.url) : null
      const verdict = answer ? judge(p, answer) : null
      if (verdict && 'pass' in verdict) return { note: verdict.pass }
      if (i >= p.attempts) {
        if (active.code !== 0 || !answer || !verdict) {
          const journal = await env.io.read(['journalctl', '-u', p.service, '-n', '30', '--no-pager'], { sudo: true })
          env.io.log('error', `Last log lines of ${p.service}:\n${journal.stdout.trimEnd()}`)
          return env.io.fail(`The service ${p.service} is not running (${active.stdout.trim() || 'unknown'})`, active)
        }
        return env.io.fail(`The service ${p.service} runs but ${p.url} ${verdict.retry}`, answer.curl)
      }
      await env.sleep(RETRY_MS, env.io.signal)
    }
  },
  plan: (f) => ({ changes: [], note: f.note }),
  async apply() {}
})
