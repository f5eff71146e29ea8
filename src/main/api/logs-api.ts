// Logs: filtered pages of stored lines and exports. The store reads at most 1,000 rows per
// statement; a page of up to 5,000 is read as several keyset steps, each a short statement.
import type { LogFilterInput, LogLineView } from '../../shared/contract-logs'
import { LOGS_EXPORT_MAX } from '../../shared/contract-logs'
import type { LogFilter, LogLine, LogsRepo } from '../store/logs-repo'
import type { HandlersFor } from './handlers'
import { formatLogLine } from './logs-format'
import type { Services } from './services'

const STEP = 1000

function toFilter(f: LogFilterInput): LogFilter {
  const text = f.text?.trim()
  return {
    ...(f.deviceId !== undefined ? { deviceId: f.deviceId } : {}),
    ...(f.unit !== undefined ? { unit: f.unit } : {}),
    ...(f.maxPriority !== undefined ? { maxPriority: f.maxPriority } : {}),
    ...(f.since !== undefined ? { sinceUs: f.since * 1000 } : {}),
    ...(f.until !== undefined ? { untilUs: f.until * 1000 } : {}),
    ...(f.jobId !== undefined ? { jobId: f.jobId } : {}),
    ...(text ? { text } : {})
  }
}

const view = ({ bootId: _b, cursor: _c, ...l }: LogLine): LogLineView => l

/** `limit` lines just older than `beforeId` (the newest when absent), oldest first, and whether more are older. */
function older(repo: LogsRepo, filter: LogFilter, beforeId: number, limit: number): { lines: LogLine[]; hasOlder: boolean } {
  const out: LogLine[] = []
  let before = beforeId
  // One more than asked tells whether older lines remain.
  while (out.length <= limit) {
    const want = Math.min(STEP, limit + 1 - out.length)
    const page = repo.query(filter, { beforeId: before, limit: want })
    out.push(...page)
    const last = page.at(-1)
    if (!last || page.length < want) break
    before = last.id
  }
  const hasOlder = out.length > limit
  return { lines: out.slice(0, limit).reverse(), hasOlder }
}

function newer(repo: LogsRepo, filter: LogFilter, afterId: number, limit: number): { lines: LogLine[]; hasOlder: boolean } {
  const out: LogLine[] = []
  let after = afterId
  while (out.length < limit) {
    const want = Math.min(STEP, limit - out.length)
    const page = repo.query(filter, { afterId: after, limit: want })
    out.push(...page)
    const last = page.at(-1)
    if (!last || page.length < want) break
    after = last.id
  }
  const first = out[0]?.id ?? afterId + 1
  return { lines: out, hasOlder: repo.query(filter, { beforeId: first, limit: 1 }).length > 0 }
}

export const logsApi = (s: Services) => {
  const deviceName = () => {
    const names = new Map(s.store.devices.list().map((d) => [d.id, d.name]))
    return (id: string) => names.get(id) ?? id
  }
  return {
    'logs.query': ({ afterId, beforeId, limit, total, ...f }) => {
      const filter = toFilter(f)
      const page = afterId !== undefined ? newer(s.store.logs, filter, afterId, limit) : older(s.store.logs, filter, beforeId ?? Number.MAX_SAFE_INTEGER, limit)
      return { lines: page.lines.map(view), hasOlder: page.hasOlder, total: total ? s.store.logs.count(filter) : null }
    },
    'logs.export': ({ format, ...f }) => {
      const lines: LogLineView[] = []
      let truncated = false
      for (const l of s.store.logs.exportLines(toFilter(f))) {
        if (lines.length === LOGS_EXPORT_MAX) {
          truncated = true
          break
        }
        lines.push(view(l))
      }
      const name = deviceName()
      const text = format === 'json' ? JSON.stringify(lines.map((l) => ({ ...l, device: name(l.deviceId) })), null, 1) : lines.map((l) => `${formatLogLine(l, name)}\n`).join('')
      return { text, lines: lines.length, truncated }
    },
    'logs.follow.start': ({ deviceId, unit }) => {
      s.devices.get(deviceId)
      return s.logFollow.start(deviceId, unit)
    },
    'logs.follow.stop': async ({ deviceId, unit }) => ({ stopped: await s.logFollow.stop(deviceId, unit) }),
    'logs.follow.list': () => s.logFollow.list()
  } satisfies HandlersFor<'logs'>
}
