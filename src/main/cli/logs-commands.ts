// `edgedock logs [device]`: stored log lines (streamed from units, written by jobs), filtered by
// systemd unit, priority, words (full-text), time and job; newest `--limit` lines, oldest first, as
// text or --json.
import type { Command } from 'commander'
import type { LogFilterInput, LogLineView } from '../../shared/contract-logs'
import { EdgeError } from '../../shared/errors'
import { formatLogLine, parsePriority } from '../api/logs-format'
import type { CliContext } from './cli-context'
import { wholeNumber } from './format'
import { parseLogTime } from './log-time'
import { abortableSleep } from '../core/abortable-sleep'

// The contract's LOGS_PAGE_MAX; not imported, as that module brings zod into the CLI's startup.
const PAGE_MAX = 5000

interface LogsOptions {
  unit?: string
  priority?: string
  grep?: string
  since?: string
  until?: string
  job?: string
  limit: string
  follow?: boolean
}

export function registerLogsCommands(program: Command, c: CliContext): void {
  program
    .command('logs')
    .description('log lines from units and jobs, newest last')
    .argument('[device]', 'a device name, id or address (all devices when left out)')
    .option('--unit <name>', 'one systemd unit, as the journal names it (ssh.service, edgedock-inference.service) or kernel')
    .option('--priority <level>', 'this level and more severe: 0-7 or emerg, alert, crit, err, warning, notice, info, debug')
    .option('--grep <words>', 'lines containing all these words (whole words)')
    .option('--since <time>', 'from this time: 2026-12-03T06:00 (UTC), or an age such as 15m, 2h, 3d')
    .option('--until <time>', 'before this time, in the same forms')
    .option('--job <id>', 'lines written by one job')
    .option('--limit <n>', 'the newest this many lines', '200')
    .option('--follow', "then print new lines as they are stored until Ctrl-C; with a device, stream its journal over SSH meanwhile (resuming where it stopped)")
    .action(async (device: string | undefined, o: LogsOptions) => {
      // Every option is checked before anything is read.
      const limit = wholeNumber(o.limit, '--limit')
      if (limit < 1) throw new EdgeError('INVALID_INPUT', '--limit must be at least 1')
      const maxPriority = o.priority === undefined ? undefined : parsePriority(o.priority)
      if (maxPriority === null) throw new EdgeError('LOGS_BAD_PRIORITY', `"${o.priority}"`)
      const now = Date.now()
      const filter: LogFilterInput = {
        ...(o.unit !== undefined ? { unit: o.unit } : {}),
        ...(maxPriority !== undefined ? { maxPriority } : {}),
        ...(o.grep !== undefined ? { text: o.grep } : {}),
        ...(o.since !== undefined ? { since: parseLogTime(o.since, '--since', now) } : {}),
        ...(o.until !== undefined ? { until: parseLogTime(o.until, '--until', now) } : {}),
        ...(o.job !== undefined ? { jobId: o.job } : {})
      }
      if (filter.since !== undefined && filter.until !== undefined && filter.since >= filter.until) {
        throw new EdgeError('INVALID_INPUT', '--since must be before --until')
      }
      if (device !== undefined) filter.deviceId = (await c.call('devices.resolve', { ref: device })).id
      const lines = await newest(c, filter, limit)
      const names = new Map((await c.call('devices.list', {})).map((d) => [d.id, d.name]))
      const name = (id: string) => names.get(id) ?? id
      if (!o.follow) {
        c.print(lines, () => (lines.length === 0 ? 'No log lines match.' : lines.map((l) => formatLogLine(l, name)).join('\n')))
        return
      }
      await follow(c, filter, lines, name, o.unit)
    })
}

/** Prints what is stored from now on (with --json, one JSON value per line) until Ctrl-C; with a device, streams it meanwhile. */
async function follow(c: CliContext, filter: LogFilterInput, shown: LogLineView[], name: (id: string) => string, unit: string | undefined): Promise<void> {
  const compact = (l: LogLineView) => c.print(l, () => formatLogLine(l, name))
  shown.forEach(compact)
  let afterId = shown.at(-1)?.id ?? (await c.call('logs.query', { ...filter, limit: 1, total: false })).lines.at(-1)?.id ?? 0
  const deviceId = filter.deviceId
  let lastState = ''
  const unsubscribe = await c.subscribe((event, payload) => {
    const p = payload as { deviceId: string; state: string; error: string | null }
    if (event !== 'logs.stream' || p.deviceId !== deviceId || p.state === lastState) return
    lastState = p.state
    c.err(`[${name(p.deviceId)}: ${p.state}${p.error ? ` (${p.error})` : ''}]\n`)
  })
  if (deviceId !== undefined) await c.call('logs.follow.start', { deviceId, ...(unit !== undefined ? { unit } : {}) })
  const stop = new AbortController()
  const onSigint = () => stop.abort()
  process.once('SIGINT', onSigint)
  try {
    while (!stop.signal.aborted) {
      const page = await c.call('logs.query', { ...filter, afterId, limit: PAGE_MAX, total: false })
      page.lines.forEach(compact)
      afterId = page.lines.at(-1)?.id ?? afterId
      if (page.lines.length < PAGE_MAX) await pause(250, stop.signal)
    }
  } finally {
    process.off('SIGINT', onSigint)
    if (deviceId !== undefined) await c.call('logs.follow.stop', { deviceId, ...(unit !== undefined ? { unit } : {}) })
    unsubscribe()
  }
}

// A cancel (Ctrl-C) ends the pause at once; abortableSleep also takes its listener off the signal
// when the pause ends, which --follow's four pauses a second on one signal need (Node warns on the
// user's terminal once eleven pile up).
const pause = (ms: number, signal: AbortSignal): Promise<void> => abortableSleep(ms, signal).catch(() => {})

/** The newest `limit` lines, oldest first, read back a page at a time. */
async function newest(c: CliContext, filter: LogFilterInput, limit: number): Promise<LogLineView[]> {
  const pages: LogLineView[][] = []
  let got = 0
  let beforeId: number | undefined
  while (got < limit) {
    const page = await c.call('logs.query', { ...filter, limit: Math.min(PAGE_MAX, limit - got), total: false, ...(beforeId !== undefined ? { beforeId } : {}) })
    pages.unshift(page.lines)
    got += page.lines.length
    const first = page.lines[0]
    if (!first || !page.hasOlder) break
    beforeId = first.id
  }
  return pages.flat()
}
