// `edgedock models quantize|lineage`: a library model to a new INT8 (or FP16) version, compared with
// the original at once, and where a version came from.
import path from 'node:path'
import { type Command, Option } from 'commander'
import type { QuantizeMethodDto, QuantizeResultDto } from '../../shared/contract-quantize'
import { EdgeError } from '../../shared/errors'
import { catalogues, isMessageKey } from '../../shared/i18n'
import { formatMessage } from '../../shared/i18n/message'
import { followJob } from './follow-job'
import { table, wholeNumber } from './format'
import type { CliContext } from './cli-context'

interface QuantizeOptions {
  method?: QuantizeMethodDto
  calibration?: string
  calibrate?: 'minmax' | 'percentile' | 'entropy'
  perTensor?: boolean
  activations?: 'uint8' | 'int8'
  exclude?: string[]
  version?: string
  compareLimit?: string
}

const kb = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`)
const pct = (x: number) => `${(x * 100).toFixed(2)}%`
const ms = (x: number) => `${x.toFixed(3)} ms`
const ops = (r: Record<string, number>) => Object.entries(r).map(([op, n]) => `${op} ${n}`).join(', ') || 'none'

const flagText: Record<QuantizeResultDto['compare']['flags'][number], string> = {
  slower: 'the quantized model is slower than the original on this computer',
  accuracyDrop: 'accuracy dropped by more than 2 points',
  lowAgreement: 'top-1 agreement with the original is below 98%',
  lowCosine: 'output cosine similarity with the original is below 0.98'
}

export function registerQuantizeCommands(program: Command, c: CliContext): void {
  const models = program.commands.find((cmd) => cmd.name() === 'models') ?? program.command('models')

  models
    .command('quantize <model>')
    .description('make an INT8 (static or dynamic) or FP16 version of a library model, store it with its lineage and compare it with the original')
    .addOption(new Option('--method <method>', 'defaults to the one the op mix suggests').choices(['static', 'dynamic', 'fp16']))
    .option('--calibration <file|dir>', 'typical inputs: JSON {inputs: [[...]], labels?: [...]} or [[...]], or a folder of such files')
    .addOption(new Option('--calibrate <how>', 'how static INT8 picks activation ranges').choices(['minmax', 'percentile', 'entropy']).default('minmax'))
    .option('--per-tensor', 'one weight scale per tensor instead of one per output channel')
    .addOption(new Option('--activations <type>', 'static INT8 activation type').choices(['uint8', 'int8']).default('uint8'))
    .option('--exclude <nodes...>', 'node names to keep in float (comma-separated or repeated)')
    .option('--version <version>', 'the new version; defaults to the next number')
    .option('--compare-limit <n>', 'samples the comparison runs (default 200)')
    .action(async (ref: string, o: QuantizeOptions) => {
      const calibration = o.calibration ? { path: path.resolve(o.calibration) } : undefined
      const compareLimit = o.compareLimit === undefined ? undefined : wholeNumber(o.compareLimit, '--compare-limit')
      let method = o.method
      if (!method) {
        const advice = await c.call('models.quantizeAdvice', { ref, calibration: calibration !== undefined })
        const reason = isMessageKey(advice.reason) ? formatMessage(catalogues.en[advice.reason], 'en', { conv: advice.conv, matmul: advice.matmul }) : advice.reason
        if (!advice.method) throw new EdgeError('MODEL_NOT_QUANTIZABLE', reason.replace(/\.$/, '').replace(/^\w/, (ch) => ch.toLowerCase()))
        method = advice.method
        if (!c.json) c.err(`Method: ${method}. ${reason}\n`)
      }
      const exclude = (o.exclude ?? []).flatMap((e) => e.split(',')).map((e) => e.trim()).filter(Boolean)
      const { jobId } = await c.call('models.quantize', {
        ref,
        method,
        calibration,
        calibrate: o.calibrate ?? 'minmax',
        perChannel: !o.perTensor,
        activations: o.activations ?? 'uint8',
        exclude,
        version: o.version,
        compareLimit
      })
      const job = await followJob(c, jobId, c.json ? null : c.err)
      if (job.state !== 'succeeded') {
        c.print({ job }, () => `Quantize ${job.state}: ${job.error?.message ?? ''}. Nothing was stored.`)
        process.exitCode = 1
        return
      }
      // zod loads with the command that needs it, not at every CLI start.
      const { quantizeResultSchema } = await import('../../shared/contract-quantize')
      const result = quantizeResultSchema.parse(job.result)
      c.print(result, () => formatResult(result))
    })

  models
    .command('lineage <model>')
    .description('where a version came from (parent, method, calibration set, settings) and what was made from it')
    .action(async (ref: string) => {
      const r = await c.call('models.lineage', { ref })
      c.print(r, () => {
        const self = `${r.record.name}@${r.record.version}  sha256 ${r.record.sha256.slice(0, 12)}`
        const from = r.lineage
          ? [
              `made from: ${r.parent ? `${r.parent.name}@${r.parent.version}` : `${r.lineage.parentRef} (no longer in the library)`}  sha256 ${r.lineage.parentSha256.slice(0, 12)}`,
              `method: ${r.lineage.method}`,
              `calibration set: ${r.lineage.calibrationSha256 ? `sha256 ${r.lineage.calibrationSha256.slice(0, 12)}` : 'none'}`,
              `settings: ${JSON.stringify(r.lineage.settings)}`
            ]
          : ['made from: (imported, not quantized here)']
        const children = r.children.length ? r.children.map((ch) => `  ${ch.record.name}@${ch.record.version}  ${ch.lineage.method}`) : ['  none']
        return [self, ...from, 'quantized versions:', ...children].join('\n')
      })
    })
}

function formatResult(r: QuantizeResultDto): string {
  const cmp = r.compare
  const rows = [
    { model: `${r.parent.ref} (original)`, size: kb(r.sizeBytes.before), accuracy: cmp.accuracy ? pct(cmp.accuracy.before) : '-', p50: ms(cmp.latency.before.p50Ms), p90: ms(cmp.latency.before.p90Ms) },
    { model: `${r.model.ref} (${r.method})`, size: `${kb(r.sizeBytes.after)} (${r.sizeRatio.toFixed(2)}x)`, accuracy: cmp.accuracy ? pct(cmp.accuracy.after) : '-', p50: ms(cmp.latency.after.p50Ms), p90: ms(cmp.latency.after.p90Ms) }
  ]
  return [
    `${r.model.alreadyPresent ? 'Already in the library' : 'Stored'}: ${r.model.ref}  sha256 ${r.model.sha256.slice(0, 12)}`,
    table(rows, ['model', 'size', 'accuracy', 'p50', 'p90']),
    '',
    `top-1 agreement ${pct(cmp.agreement)}, cosine mean ${cmp.cosine.mean.toFixed(4)} (min ${cmp.cosine.min.toFixed(4)}), ` +
      `relative error max ${cmp.relError.max.toExponential(2)} over ${cmp.samples} ${cmp.inputs === 'seeded' ? 'seeded inputs' : 'calibration samples'}, ${cmp.threads} threads`,
    `quantized: ${ops(r.quantized)}; kept float: ${ops(r.keptFloat)}`,
    ...cmp.flags.map((f) => `FLAGGED: ${flagText[f]}`)
  ].join('\n')
}
