// A benchmark of the model the unit serves, with the profile's limits as gates: read-only, final
// (after the handlers restarted the service on the new model), and the unit fails provisioning
// when it misses a limit, with the figure, the limit and the margin in the message. The agent's
// own runner measures it, on the unit, as `edgedock bench` does. With `samples` (a labelled set on
// this computer, relative to the profile's folder) it also checks top-1 accuracy on the unit, so a
// wrong or corrupted model fails the unit as surely as a slow one.
import * as z from 'zod'
import { text } from '../../../../shared/texts'
import { benchServedModel } from '../../bench/served-model-bench'
import { loadSampleSet } from '../../models/sample-set'
import { unitBenchFiles } from '../../bench/unit-files'
import { defineStep, type StepEnv } from '../step-kind'

const limit = z.number().positive().max(1e9).optional()
const params = z
  .strictObject({
    preset: z.enum(['quick', 'standard', 'mlperf']).default('quick'),
    runs: z.number().int().min(1).max(1_000_000).optional(),
    durationS: z.number().min(0).max(3600).optional(),
    threads: z.number().int().min(0).max(256).default(0),
    samples: z.string().min(1).max(4096).optional(),
    gates: z
      .strictObject({ p50Ms: limit, p90Ms: limit, p99Ms: limit, peakRssMb: limit, minThroughput: limit, minTop1: z.number().min(0).max(100).optional() })
      .default({})
  })
  .refine((p) => p.gates.minTop1 === undefined || p.samples !== undefined, {
    path: ['gates'],
    message: 'has minTop1, which needs `samples` (a labelled sample set) to measure accuracy on'
  })
type P = z.infer<typeof params>

/** The labelled set, checked here first (a wrong file fails before the unit is asked), then copied once per content. */
async function samplesOnUnit(env: StepEnv, file: string): Promise<string> {
  try {
    await loadSampleSet(file)
  } catch (err) {
    return env.io.fail(`The benchmark's sample set ${file} cannot be used: ${(err as Error).message}`)
  }
  const upload = env.shell.upload?.bind(env.shell)
  if (!upload) return env.io.fail('This connection cannot copy the sample set to the unit')
  const user = (await env.io.must(['id', '-un'], 'Could not read the login user on the unit')).stdout.trim()
  try {
    const ensure = await unitBenchFiles({ run: (argv, o) => env.shell.run(argv, o), upload }, user, 'the unit', env.io.signal)
    return await ensure(file, '.json')
  } catch (err) {
    return env.io.fail(`Could not copy the sample set to the unit: ${(err as Error).message}`)
  }
}


export const benchmarkStep = defineStep<P, { note: string }>({
  kind: 'benchmark',
  params,
  pathParams: ['samples'],
  title: () => text('pstep.benchmark'),
  final: true,
  dryRunNote: text('note.measuredInRealRun'),
  async check(env, p) {
    const settings = { preset: p.preset, runs: p.runs, durationS: p.durationS, profileOps: false }
    const samples = p.samples ? await samplesOnUnit(env, p.samples) : null
    let bench
    try {
      bench = await benchServedModel((argv, timeoutMs) => env.io.read(argv, { timeoutMs }), { settings, threads: p.threads, samples, gates: p.gates, where: 'the unit' })
    } catch (err) {
      return env.io.fail(`The benchmark did not run: ${(err as Error).message}`)
    }
    const { stats, verdict, summary } = bench
    env.io.log('info', `Benchmark: ${summary}${stats.valid ? '' : ' (run marked invalid)'}`)
    if (verdict.missed.length > 0) return env.io.fail(`The unit misses the profile's benchmark limits: ${verdict.missed.join('; ')}`)
    return { note: verdict.met.length ? `${summary}; within limits: ${verdict.met.join(', ')}` : summary }
  },
  plan: (f) => ({ changes: [], note: f.note }),
  async apply() {}
})
