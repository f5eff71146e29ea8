// `edgedock bench <target>... --model M...`: a benchmark job followed on the terminal (progress,
// ETA; Ctrl-C cancels and keeps what was measured), then one line per cell, or --json; and
// `edgedock bench list|show|compare|export` over the stored runs.
import path from 'node:path'
import type { Command } from 'commander'
import type { BenchEnvironment } from '../../shared/bench-result'
import type { BenchCell, BenchRunDetail } from '../../shared/bench-run'
import { EdgeError } from '../../shared/errors'
import type { CliContext } from './cli-context'
import { followJob } from './follow-job'
import { table, when, wholeNumber } from './format'

interface RunOptions {
  model: string[]
  preset: string
  runs?: string
  duration?: string
  warmup?: string
  threads: string
  batch: string
  repeat: string
  cooldown?: string
  profileOps?: boolean
  samples?: string
  seed?: string
  label?: string
  passwordEnv?: string
}

const list = (value: string, option: string): number[] => value.split(',').map((v) => wholeNumber(v, option))
const collect = (value: string, previous: string[] = []) => [...previous, value]
const ms = (v: number | undefined) => (v === undefined ? '' : v < 10 ? v.toFixed(2) : v.toFixed(1))

function seconds(value: string, option: string): number {
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new EdgeError('INVALID_INPUT', `${option} must be a number of seconds, not "${value}"`)
  return n
}

/** The short form scripts read: env per target, and per cell its settings, stats and accuracy. */
/** Each target's environment, from its first cell that ran. */
function envByTarget(run: BenchRunDetail): Map<string, BenchEnvironment> {
  const env = new Map<string, BenchEnvironment>()
  for (const c of run.cells) if (c.result && !env.has(c.target)) env.set(c.target, c.result.env)
  return env
}

export function runJson(run: BenchRunDetail) {
  const env = Object.fromEntries(envByTarget(run))
  return {
    id: run.id,
    jobId: run.jobId,
    createdAt: run.createdAt,
    who: run.who,
    label: run.label,
    preset: run.preset,
    env,
    cells: run.cells.map((c) => ({
      id: c.id,
      target: c.target,
      model: c.model.ref,
      sha256: c.model.sha256,
      threads: c.threads,
      batch: c.batch,
      repeat: c.repeat,
      state: c.state,
      valid: c.valid,
      invalidReasons: c.invalidReasons,
      error: c.error,
      stats: c.stats,
      accuracy: c.accuracy,
      phases: c.result?.phases ?? null,
      profile: c.result?.profile ?? null
    }))
  }
}

function cellRow(c: BenchCell): Record<string, string> {
  const s = c.stats
  const note = c.state === 'failed' ? `FAILED: ${c.error ?? ''}` : !c.valid && c.state !== 'pending' ? `invalid: ${c.invalidReasons.join('; ')}` : ''
  return {
    target: c.target,
    model: c.model.ref,
    threads: c.threads === 0 ? 'auto' : String(c.threads),
    batch: String(c.batch),
    '#': String(c.repeat),
    runs: s ? String(s.runs) : '',
    p50: ms(s?.p50),
    p90: ms(s?.p90),
    p99: ms(s?.p99),
    'mean±std': s ? `${ms(s.mean)}±${ms(s.std)}` : '',
    cv: s ? `${(s.cv * 100).toFixed(1)}%` : '',
    'inf/s': s ? s.throughput.toFixed(1) : '',
    'peak MB': s ? s.peakRssMb.toFixed(0) : '',
    top1: c.accuracy ? `${(c.accuracy.top1 * 100).toFixed(2)}%` : '',
    note
  }
}

const CELL_COLUMNS = ['target', 'model', 'threads', 'batch', '#', 'runs', 'p50', 'p90', 'p99', 'mean±std', 'cv', 'inf/s', 'peak MB', 'top1', 'note']

function runText(run: BenchRunDetail): string {
  const head = `Run ${run.id} (${run.preset}${run.label ? `, ${run.label}` : ''}) by ${run.who}, ${when(run.createdAt)} UTC; times in ms`
  const envLines = [...envByTarget(run)].map(([t, e]) => `${t}: ${e.board}, ${typeof e.soc.modelName === 'string' ? e.soc.modelName : ''} ${e.soc.cores} cores, ${e.os}, kernel ${e.kernel}, ORT ${e.onnxruntime}, throttled: ${e.throttled}`)
  return [head, ...envLines, '', table(run.cells.map(cellRow), CELL_COLUMNS)].join('\n')
}

export function registerBenchCommands(program: Command, c: CliContext): void {
  const bench = program
    .command('bench')
    .usage('<target>... --model <ref>... [options] | list | show <run> | compare <id>... | export <run>...')
    .description('measure models on units (or "host", this computer): latency percentiles, throughput, memory, accuracy')
    .argument('[targets...]', 'device names, ids, user@host, or host')
    .option('--model <ref>', 'a library model (name@version or sha256); repeat for several', collect)
    .option('--preset <name>', 'quick (100 runs / 10 s), standard (1,000 / 60 s) or mlperf (1,024 / 600 s, p90)', 'quick')
    .option('--runs <n>', 'at least this many measured runs')
    .option('--duration <s>', 'and at least this many seconds')
    .option('--warmup <n>', 'runs before measuring, not counted')
    .option('--threads <list>', 'intra-op thread counts to sweep, e.g. 1,2,4 (0: let ONNX Runtime choose)', '0')
    .option('--batch <list>', 'batch sizes to sweep, e.g. 1,2', '1')
    .option('--repeat <k>', 'repeat every cell k times', '1')
    .option('--cooldown <s>', 'pause between cells on one unit (default 5 s when it runs several)')
    .option('--profile-ops', 'time each operator (ONNX Runtime profiling): the top ten nodes and op types')
    .option('--samples <file>', 'a labelled sample set (JSON {inputs, labels}): top-1 accuracy beside latency')
    .option('--seed <n>', 'seed of the random inputs')
    .option('--label <text>', 'a note kept with the run')
    .option('--password-env <VAR>', "first contact: the units' current password, from this environment variable")
    .action(async (targets: string[], o: RunOptions) => {
      if (targets.length === 0) throw new EdgeError('INVALID_INPUT', 'name at least one unit (or host), e.g. edgedock bench door-01 --model digits@1')
      if (!o.model?.length) throw new EdgeError('INVALID_INPUT', 'name at least one model with --model, e.g. --model digits@1')
      if (!['quick', 'standard', 'mlperf'].includes(o.preset)) throw new EdgeError('INVALID_INPUT', `--preset must be quick, standard or mlperf, not "${o.preset}"`)
      const password = o.passwordEnv ? process.env[o.passwordEnv] : undefined
      if (o.passwordEnv && !password) throw new EdgeError('INVALID_INPUT', `the environment variable ${o.passwordEnv} is empty`)
      const { jobId, runId } = await c.call('bench.start', {
        targets,
        models: o.model,
        preset: o.preset as 'quick',
        runs: o.runs === undefined ? undefined : wholeNumber(o.runs, '--runs'),
        durationS: o.duration === undefined ? undefined : seconds(o.duration, '--duration'),
        warmup: o.warmup === undefined ? undefined : wholeNumber(o.warmup, '--warmup'),
        threads: list(o.threads, '--threads'),
        batch: list(o.batch, '--batch'),
        repeat: wholeNumber(o.repeat, '--repeat'),
        cooldownS: o.cooldown === undefined ? undefined : seconds(o.cooldown, '--cooldown'),
        profileOps: o.profileOps ?? false,
        samples: o.samples ? { path: path.resolve(o.samples) } : undefined,
        seed: o.seed === undefined ? undefined : wholeNumber(o.seed, '--seed'),
        label: o.label,
        password
      })
      const job = await followJob(c, jobId, c.json ? null : c.err)
      const run = await c.call('bench.get', { id: runId })
      c.print({ job: { id: job.id, state: job.state, error: job.error }, run: runJson(run) }, () => runText(run))
      if (job.state !== 'succeeded') process.exitCode = 1
    })

  bench
    .command('list')
    .description('benchmark runs, newest first')
    .option('--limit <n>', 'how many', '20')
    .option('--target <t>', 'only runs that measured this unit (name or id) or host')
    .action(async (o: { limit: string; target?: string }) => {
      const runs = await c.call('bench.list', { limit: wholeNumber(o.limit, '--limit'), target: o.target })
      c.print(runs, () =>
        runs.length === 0
          ? 'No benchmark runs yet: edgedock bench <unit> --model <ref>'
          : table(
              runs.map((r) => ({ id: r.id.slice(0, 8), when: when(r.createdAt), preset: r.preset, targets: r.targets.join(' '), models: r.models.join(' '), cells: `${r.done}/${r.cellCount}${r.failed ? ` (${r.failed} failed)` : ''}`, label: r.label ?? '' })),
              ['id', 'when', 'preset', 'targets', 'models', 'cells', 'label']
            )
      )
    })

  bench
    .command('show <run>')
    .description('a run: environment, and each cell\'s figures (id or its first 4+ characters)')
    .action(async (ref: string) => {
      const run = await c.call('bench.get', { id: ref })
      c.print(runJson(run), () => runText(run))
    })

  bench
    .command('compare <ids...>')
    .description('cells or runs against the first: ratios, and whether the difference is larger than the noise')
    .action(async (ids: string[]) => {
      const r = await c.call('bench.compare', { ids })
      const name = (x: BenchCell) => `${x.target} ${x.model.ref} t${x.threads === 0 ? 'auto' : x.threads} b${x.batch} #${x.repeat}`
      const ratio = (v: number | null) => (v === null ? '' : `${v.toFixed(3)}x`)
      c.print(r, () =>
        [
          `Baseline: ${name(r.baseline)}  p50 ${ms(r.baseline.stats?.p50)} ms  p90 ${ms(r.baseline.stats?.p90)} ms`,
          '',
          table(
            r.rows.map((row) => ({
              cell: name(row.cell),
              p50: ms(row.cell.stats?.p50),
              'p50 ratio': ratio(row.p50Ratio),
              'p90 ratio': ratio(row.p90Ratio),
              'inf/s ratio': ratio(row.throughputRatio),
              p: row.pValue === null ? '' : row.pValue < 1e-4 ? '<1e-4' : row.pValue.toFixed(4),
              verdict: row.significant === null ? 'no samples' : row.significant ? 'different' : 'within noise'
            })),
            ['cell', 'p50', 'p50 ratio', 'p90 ratio', 'inf/s ratio', 'p', 'verdict']
          )
        ].join('\n')
      )
    })

  bench
    .command('export <runs...>')
    .description('runs as CSV (one row per cell) or JSON (with raw samples), on stdout')
    .option('--format <f>', 'csv or json', 'csv')
    .action(async (ids: string[], o: { format: string }) => {
      if (o.format !== 'csv' && o.format !== 'json') throw new EdgeError('INVALID_INPUT', `--format must be csv or json, not "${o.format}"`)
      const exported = await c.call('bench.export', { ids, format: o.format })
      c.print(exported, () => exported.text.trimEnd())
    })
}
