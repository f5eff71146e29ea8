// `edgedock models import|list|inspect|compare|remove`
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import type { CompareReportDto, InspectionDto, ModelRecordDto } from '../../shared/models'
import { precisionLabels } from '../core/models/model-summary'
import { followJob } from './follow-job'
import { table } from './format'
import type { CliContext } from './cli-context'

const mb = (n: number) => `${(n / 1e6).toFixed(n < 1e6 ? 2 : 1)} MB`
const pct = (x: number) => `${(x * 100).toFixed(2)}%`

export function registerModelCommands(program: Command, c: CliContext): void {
  const models = program.command('models').description('the model library: import, inspect and compare ONNX models')

  models
    .command('import <file>')
    .description('copy an .onnx file into the library (checked first; nothing is stored if it is broken)')
    .option('--name <name>', 'defaults to the file name')
    .option('--version <version>', 'defaults to the next number under that name')
    .option('--notes <text>', 'free text, e.g. where it came from')
    .action(async (file: string, o: { name?: string; version?: string; notes?: string }) => {
      const r = await c.call('models.import', { file: { path: path.resolve(file) }, ...o })
      c.print(r, () => `${r.alreadyPresent ? 'Already in the library' : 'Imported'}: ${describe(r.record)}`)
    })

  models
    .command('list')
    .description('models in the library, newest first')
    .action(async () => {
      const list = await c.call('models.list', {})
      c.print(list, () =>
        list.length
          ? table(
              list.map((m) => ({
                model: `${m.name}@${m.version}`,
                precision: precisionLabels[m.summary.precision],
                size: mb(m.sizeBytes),
                params: m.summary.parameterCount.toLocaleString('en'),
                opset: String(m.summary.opsets.find((o) => o.domain === 'ai.onnx')?.version ?? ''),
                sha256: m.sha256.slice(0, 12)
              })),
              ['model', 'precision', 'size', 'params', 'opset', 'sha256']
            )
          : 'The library is empty. Import a model: edgedock models import model.onnx'
      )
    })

  models
    .command('inspect <model>')
    .description('inputs, outputs, ops, weights and precision of a library model (name@version, sha256) or an .onnx file')
    .action(async (ref: string) => {
      const isFile = ref.endsWith('.onnx') && existsSync(ref)
      const r: InspectionDto = isFile ? await c.call('models.inspectFile', { file: { path: path.resolve(ref) } }) : await c.call('models.inspect', { ref })
      c.print(r, () => formatInspection(r))
    })

  models
    .command('compare <a> <b>')
    .description('run two models on a labelled sample set: accuracy, top-1 agreement, output error, latency')
    .option('--samples <file>', 'JSON {inputs: [[...]], labels: [...]}; defaults to the shipped digits samples')
    .option('--limit <n>', 'only the first N samples')
    .action(async (a: string, b: string, o: { samples?: string; limit?: string }) => {
      const samples = o.samples ? { path: path.resolve(o.samples) } : { builtin: 'digits-100' as const }
      const { jobId } = await c.call('models.compare', { a, b, samples, limit: o.limit ? Number(o.limit) : undefined })
      const job = await followJob(c, jobId, c.json ? null : c.err)
      if (job.state !== 'succeeded') {
        c.print({ job }, () => `Compare ${job.state}: ${job.error?.message ?? ''}`)
        process.exitCode = 1
        return
      }
      const report = job.result as CompareReportDto
      c.print(report, () => formatReport(report))
    })

  models
    .command('remove <model>')
    .description('remove a model from the library (name@version or sha256)')
    .action(async (ref: string) => {
      const r = await c.call('models.remove', { ref })
      c.print(r, () => `Removed ${r.name}@${r.version}`)
    })
}

function describe(m: ModelRecordDto): string {
  return `${m.name}@${m.version}  ${precisionLabels[m.summary.precision]}  ${mb(m.sizeBytes)}  sha256 ${m.sha256.slice(0, 12)}`
}

function formatInspection(r: InspectionDto): string {
  const s = r.summary
  const io = (list: typeof s.inputs) => list.map((t) => `  ${t.name}: ${t.elementType} [${t.shape?.join(', ') ?? '?'}]`).join('\n')
  const ops = Object.entries(s.opHistogram)
    .sort((x, y) => y[1] - x[1])
    .map(([op, n]) => `${op} ${n}`)
    .join(', ')
  return [
    r.record ? describe(r.record) : '(not in the library)',
    `precision: ${precisionLabels[s.precision]}${s.quantization ? ` (${s.quantization.format}, weights ${s.quantization.weightTypes.join('/')})` : ''}`,
    `opset: ${s.opsets.map((o) => `${o.domain} ${o.version}`).join(', ')}; IR ${s.irVersion}; producer ${s.producer.name} ${s.producer.version}`,
    `parameters: ${s.parameterCount.toLocaleString('en')} (${mb(s.initializerBytes)} of weights); ${s.nodeCount} nodes`,
    `inputs:\n${io(s.inputs)}`,
    `outputs:\n${io(s.outputs)}`,
    `ops: ${ops}`,
    r.runtime.ok ? `ONNX Runtime: loads in ${r.runtime.loadMs.toFixed(0)} ms (${r.runtime.engine})` : `ONNX Runtime: does not load: ${r.runtime.message}`
  ].join('\n')
}

function formatReport(r: CompareReportDto): string {
  const row = (m: CompareReportDto['a']) => ({
    model: m.label,
    accuracy: `${pct(m.accuracy)} (${m.correct}/${r.samples})`,
    'p50 latency': `${m.latency.p50Ms.toFixed(3)} ms`,
    'p95 latency': `${m.latency.p95Ms.toFixed(3)} ms`
  })
  return [
    table([row(r.a), row(r.b)], ['model', 'accuracy', 'p50 latency', 'p95 latency']),
    '',
    `top-1 agreement: ${pct(r.top1Agreement)} (${r.agreeing}/${r.samples})`,
    `output error (B vs A): max abs ${r.outputError.maxAbs.toExponential(2)}, mean abs ${r.outputError.meanAbs.toExponential(2)}, ` +
      `max rel ${r.outputError.maxRel.toExponential(2)}, mean rel ${r.outputError.meanRel.toExponential(2)}`,
    `engine: ${r.engine}`
  ].join('\n')
}
