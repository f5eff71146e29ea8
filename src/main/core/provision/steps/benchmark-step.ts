// A benchmark of the model the unit serves, with the profile's limits as gates: read-only, final
// (after the handlers restarted the service on the new model), and the unit fails provisioning
// when it misses a limit, with the figure, the limit and the margin in the message. The agent's
// own runner measures it, on the unit, as `edgedock bench` does.
import * as z from 'zod'
import { text } from '../../../../shared/texts'
import { parseAgentResult, cellStats } from '../../bench/agent-output'
import { agentBenchArgs, agentOnUnit, cellTimeoutMs } from '../../bench/bench-plan'
import { judgeGates } from '../../bench/gates'
import { deviceLayout } from '../../runtime/device-layout'
import { defineStep } from '../step-kind'

const limit = z.number().positive().max(1e9).optional()
const params = z.strictObject({
  preset: z.enum(['quick', 'standard', 'mlperf']).default('quick'),
  runs: z.number().int().min(1).max(1_000_000).optional(),
  durationS: z.number().min(0).max(3600).optional(),
  threads: z.number().int().min(0).max(256).default(0),
  gates: z.strictObject({ p50Ms: limit, p90Ms: limit, p99Ms: limit, peakRssMb: limit, minThroughput: limit }).default({})
})
type P = z.infer<typeof params>


export const benchmarkStep = defineStep<P, { note: string }>({
  kind: 'benchmark',
  params,
  title: () => text('pstep.benchmark'),
  final: true,
  dryRunNote: text('note.measuredInRealRun'),
  async check(env, p) {
    const settings = { preset: p.preset, runs: p.runs, durationS: p.durationS, profileOps: false }
    const args = agentBenchArgs({ threads: p.threads, batch: 1 }, settings, { model: deviceLayout().modelsCurrent, samples: null })
    const r = await env.io.read(agentOnUnit(args), { timeoutMs: cellTimeoutMs(settings) })
    let stats
    try {
      stats = cellStats(parseAgentResult(r, 'the unit'))
    } catch (err) {
      return env.io.fail(`The benchmark did not run: ${(err as Error).message}`, r)
    }
    if (!stats) return env.io.fail('The benchmark measured no runs', r)
    const verdict = judgeGates(stats, p.gates)
    const summary = `p50 ${stats.p50.toFixed(2)} ms, p90 ${stats.p90.toFixed(2)} ms over ${stats.runs} runs, peak RSS ${stats.peakRssMb.toFixed(0)} MB`
    env.io.log('info', `Benchmark: ${summary}${stats.valid ? '' : ' (run marked invalid)'}`)
    if (verdict.missed.length > 0) return env.io.fail(`The unit misses the profile's benchmark limits: ${verdict.missed.join('; ')}`)
    return { note: verdict.met.length ? `${summary}; within limits: ${verdict.met.join(', ')}` : summary }
  },
  plan: (f) => ({ changes: [], note: f.note }),
  async apply() {}
})
