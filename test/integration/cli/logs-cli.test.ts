// `edgedock logs`: lines stored by the core's ingest in a temp data folder, read back through the
// real CLI (bin/edgedock.js) with each filter, as text and as --json; bad options change nothing.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogsRepo } from '../../../src/main/store/logs-repo'
import { openDatabase } from '../../../src/main/store/open-database'
import { closedPort } from '../../helpers/banner-server'
import { projectRoot, runCli } from '../../helpers/run-cli'
import { seedLogs } from '../../helpers/seed-logs'
import { tempDir } from '../../helpers/temp-dir'

interface Line {
  deviceId: string
  unit: string | null
  priority: number | null
  message: string
  timeUs: number
}

let dir: string
let cleanup = () => {}
const ids: Record<string, string> = {}
const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args])
const json = async (...args: string[]): Promise<Line[]> => {
  const r = await cli(...args, '--json')
  expect(r.stderr).toBe('')
  return JSON.parse(r.stdout) as Line[]
}
const num = (l: Line) => Number(/^line (\d+) /.exec(l.message)?.[1])
// fake-journal's entry n is stamped 2025-11-24T16:00:00.000Z + n ms.
const at = (n: number) => new Date(1_764_000_000_000 + n).toISOString()

beforeAll(async () => {
  ;({ dir, cleanup } = tempDir())
  for (const name of ['door-17', 'door-18']) {
    expect((await cli('devices', 'add', `pi@127.0.0.1:${name === 'door-17' ? 2217 : 2218}`, '--name', name)).code).toBe(0)
  }
  for (const d of await (async () => JSON.parse((await cli('devices', 'list', '--json')).stdout) as { id: string; name: string }[])()) ids[d.name] = d.id
  await seedLogs(dir, [
    { deviceId: ids['door-17'] as string, count: 300 },
    { deviceId: ids['door-18'] as string, count: 40, entry: (n) => ({ _SYSTEMD_UNIT: 'ssh.service', MESSAGE: `line ${n} Accepted publickey for pi`, PRIORITY: '6' }) }
  ])
})
afterAll(() => cleanup())

describe('edgedock logs', () => {
  it('shows the newest lines of one device, oldest first, for people and for scripts', async () => {
    const human = await cli('logs', 'door-17', '--limit', '3')
    expect(human.code).toBe(0)
    const rows = human.stdout.trim().split('\n')
    expect(rows).toHaveLength(3)
    expect(rows[0]).toMatch(/^2025-11-24 16:00:00\.298 {2}door-17 {2}edgedock-inference\.service {2}crit {2}line 298 inference latency 98 ms$/)
    const lines = await json('logs', 'door-17', '--limit', '1000')
    expect(lines.map(num)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1))
    expect(new Set(lines.map((l) => l.deviceId))).toEqual(new Set([ids['door-17']]))
  })

  it('filters by systemd unit, priority, words and job', async () => {
    const ssh = await json('logs', '--unit', 'ssh.service', '--limit', '1000')
    expect(ssh).toHaveLength(40)
    expect(ssh.every((l) => l.deviceId === ids['door-18'] && l.message.includes('Accepted publickey'))).toBe(true)
    const errors = await json('logs', 'door-17', '--priority', 'err', '--limit', '1000')
    // Entry n has priority n % 8; 0-3 (emerg to err) is 151 of entries 1-300.
    expect(errors).toHaveLength(151)
    expect(errors.every((l) => (l.priority as number) <= 3)).toBe(true)
    expect((await json('logs', '--priority', '0', '--limit', '1000')).map(num)).toEqual(Array.from({ length: 37 }, (_, i) => (i + 1) * 8))
    // Whole words, all of them: "latency 42" is entries 42, 142, 242, never 420-something.
    expect((await json('logs', '--grep', 'latency 42')).map(num)).toEqual([42, 142, 242])
    expect(await json('logs', '--grep', 'no-such-word-anywhere')).toEqual([])
    expect(await json('logs', '--job', 'job-that-never-ran')).toEqual([])
    expect((await cli('logs', '--grep', 'nothing matches this')).stdout).toBe('No log lines match.\n')
  })

  it('reads a time window in UTC', async () => {
    const window = await json('logs', 'door-17', '--since', at(100), '--until', at(110))
    expect(window.map(num)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109])
    // An age: every seeded line is from 2025, so none is from the last hour.
    expect(await json('logs', '--since', '1h')).toEqual([])
    expect((await json('logs', '--until', '2025-11-24T16:00:00.005Z')).length).toBe(8)
  })

  it('refuses a malformed time, priority or limit in plain words, before reading anything', async () => {
    for (const [args, msg] of [
      [['--since', 'yesterdayish'], /^Error: Not a time: --since "yesterdayish"\. Use a date and time such as/],
      [['--until', '2026-02-31'], /Not a time: --until "2026-02-31"/],
      [['--since', '1h', '--until', '2h'], /--since must be before --until/],
      [['--priority', 'loud'], /Not a log priority: "loud"/],
      [['--limit', 'lots'], /--limit must be a whole number/]
    ] as const) {
      const r = await cli('logs', ...args)
      expect(r.code).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(msg)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
    const r = await cli('logs', '--since', 'soon', '--json')
    expect(JSON.parse(r.stderr)).toEqual({ error: { code: 'LOGS_BAD_TIME', message: expect.stringContaining('Not a time') } })
    const unknown = await cli('logs', 'door-99')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/door-99/)
  })

  /** `edgedock logs … --follow` as a user runs it; resolves once `ready` matches its output. */
  function followCli(args: string[]) {
    const child = spawn(process.execPath, [path.join(projectRoot, 'bin/edgedock.js'), '--data-dir', dir, 'logs', ...args, '--follow'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += String(d)))
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)))
    const until = async (ok: () => boolean, what: string) => {
      for (const end = Date.now() + 20_000; !ok(); await new Promise((r) => setTimeout(r, 50))) if (Date.now() > end) throw new Error(`${what}: ${stdout} ${stderr}`)
    }
    const exit = new Promise<number | null>((r) => child.on('exit', r))
    return { child, out: () => stdout, err: () => stderr, until, exit }
  }

  it('--follow prints lines as they are stored until Ctrl-C', async () => {
    const f = followCli(['--grep', 'fresh', '--limit', '5'])
    // Long enough for a dozen polls: nothing but lines may reach the terminal meanwhile.
    await new Promise((r) => setTimeout(r, 4000))
    const db = openDatabase(path.join(dir, 'edgedock.db'))
    const line = (message: string) => ({ unit: 'edgedock-inference.service', priority: 6, timeUs: Date.now() * 1000, message, cursor: null, bootId: null })
    createLogsRepo(db).appendBatch({ deviceId: ids['door-17'] as string, selector: 'all' }, [line('fresh line one'), line('stale line'), line('fresh line two')], null)
    db.close()
    await f.until(() => f.out().includes('fresh line two'), 'the new lines never showed')
    expect(f.out()).toMatch(/door-17 {2}edgedock-inference\.service {2}info {2}fresh line one\n.*fresh line two\n$/)
    expect(f.out()).not.toContain('stale line')
    f.child.kill('SIGINT')
    expect(await f.exit).toBe(0)
    expect(f.err()).toBe('')
  })

  it('--follow with a device streams it over SSH and says when it cannot reach it', async () => {
    const port = await closedPort()
    expect((await cli('devices', 'add', `pi@127.0.0.1:${port}`, '--name', 'door-19')).code).toBe(0)
    const f = followCli(['door-19'])
    await f.until(() => /\[door-19: reconnecting \(.*refused/.test(f.err()), 'no reconnecting state')
    f.child.kill('SIGINT')
    expect(await f.exit).toBe(0)
    expect(f.err()).not.toMatch(/\n\s+at /)
  })
})
