// Prometheus text exposition (format 0.0.4), hand-written: four metric families do not justify a
// client library in a bundle that is copied to every device.
import type { ModelMeta } from './protocol'

export const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

/** Routes outside this list are counted as "other" so a scanner cannot grow the label set. */
const KNOWN_ROUTES = new Set(['/health', '/infer', '/metrics'])

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function labels(pairs: Record<string, string>): string {
  const body = Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',')
  return body ? `{${body}}` : ''
}

export class AgentMetrics {
  private readonly requests = new Map<string, number>()
  private readonly errors = new Map<string, number>()
  private readonly reloads = { ok: 0, failed: 0 }
  private readonly bucketCounts = LATENCY_BUCKETS_S.map(() => 0)
  private latencySum = 0
  private latencyCount = 0

  countRequest(route: string, status: number): void {
    const key = `${KNOWN_ROUTES.has(route) ? route : 'other'}\u0000${status}`
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1)
  }

  countError(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1)
  }

  countReload(outcome: 'ok' | 'failed'): void {
    this.reloads[outcome]++
  }

  observeLatency(seconds: number): void {
    this.latencySum += seconds
    this.latencyCount++
    LATENCY_BUCKETS_S.forEach((bound, i) => {
      if (seconds <= bound) this.bucketCounts[i] = (this.bucketCounts[i] ?? 0) + 1
    })
  }

  render(model: ModelMeta | null, uptimeS: number, rssBytes: number): string {
    const lines: string[] = []
    const family = (name: string, type: string, help: string): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
    }
    family('edgedock_http_requests_total', 'counter', 'HTTP requests by route and status code.')
    for (const [key, n] of [...this.requests].sort()) {
      const [route = '', status = ''] = key.split('\u0000')
      lines.push(`edgedock_http_requests_total${labels({ route, status })} ${n}`)
    }
    family('edgedock_errors_total', 'counter', 'Failed requests by error code.')
    for (const [code, n] of [...this.errors].sort()) lines.push(`edgedock_errors_total${labels({ code })} ${n}`)
    family('edgedock_inference_duration_seconds', 'histogram', 'Time spent in ONNX Runtime per /infer request.')
    LATENCY_BUCKETS_S.forEach((bound, i) => {
      lines.push(`edgedock_inference_duration_seconds_bucket${labels({ le: String(bound) })} ${this.bucketCounts[i] ?? 0}`)
    })
    lines.push(`edgedock_inference_duration_seconds_bucket${labels({ le: '+Inf' })} ${this.latencyCount}`)
    lines.push(`edgedock_inference_duration_seconds_sum ${this.latencySum}`, `edgedock_inference_duration_seconds_count ${this.latencyCount}`)
    family('edgedock_model_reloads_total', 'counter', 'Model loads by outcome.')
    lines.push(`edgedock_model_reloads_total${labels({ outcome: 'ok' })} ${this.reloads.ok}`)
    lines.push(`edgedock_model_reloads_total${labels({ outcome: 'failed' })} ${this.reloads.failed}`)
    family('edgedock_model_info', 'gauge', 'The model being served (value 1).')
    if (model) lines.push(`edgedock_model_info${labels({ name: model.name, version: model.version, sha256: model.sha256 })} 1`)
    family('edgedock_uptime_seconds', 'gauge', 'Seconds since the agent started.')
    lines.push(`edgedock_uptime_seconds ${uptimeS}`)
    family('process_resident_memory_bytes', 'gauge', 'Resident memory of the agent.')
    lines.push(`process_resident_memory_bytes ${rssBytes}`)
    return `${lines.join('\n')}\n`
  }
}
