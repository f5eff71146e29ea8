// The quantize job: read a library model and its calibration set, quantize, compare the result with
// the original on the host, and only then store it as a new version of the same model with its
// lineage. Failing anywhere before the last step stores nothing.
import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { text } from '../../../../shared/texts'
import type { QuantizeResultDto } from '../../../../shared/contract-quantize'
import type { JobContext } from '../../jobs/job-runner'
import { SamplesInvalidError } from '../errors'
import { labelOf, type ModelLibrary } from '../model-library'
import { calibrationSha256, type CalibrationMethod } from './calibrate'
import { loadCalibrationSet, type CalibrationSet } from './calibration-set'
import { lineageMetadata } from './lineage'
import { compareQuantized } from './quantize-compare'
import { quantizeModel } from './quantize-model'
import type { QuantizeMethod } from './recommend'

export interface QuantizeRequest {
  ref: string
  method: QuantizeMethod
  /** A sample-set file or a folder of them; required for 'static'. */
  calibrationPath?: string | null
  calibrate?: CalibrationMethod
  perChannel?: boolean
  activations?: 'uint8' | 'int8'
  exclude?: string[]
  version?: string
  compareLimit?: number
  /** Threads both models get in the comparison; min(4, cores) by default. */
  threads?: number
}

export async function runQuantizeJob(library: ModelLibrary, scratchDir: string, req: QuantizeRequest, jc: JobContext): Promise<QuantizeResultDto> {
  const { record, bytes, calibration } = await jc.step(text('step.quantizeRead'), async () => {
    const record = library.store.get(req.ref)
    const bytes = await readFile(library.store.filePath(record.sha256))
    const calibration: CalibrationSet | null = req.calibrationPath ? await loadCalibrationSet(req.calibrationPath) : null
    if (req.method === 'static' && !calibration) throw new SamplesInvalidError('static INT8 needs a calibration set of typical inputs')
    return { record, bytes, calibration }
  })
  const calSha = calibration ? calibrationSha256(calibration.rows) : null
  const perChannel = req.perChannel ?? true
  const settings = {
    perChannel,
    ...(req.method === 'static' ? { calibrate: req.calibrate ?? 'minmax', activations: req.activations ?? 'uint8' } : {}),
    exclude: req.exclude ?? []
  }
  const parentRef = `${record.name}@${record.version}`

  const { bytes: out, report } = await jc.step(text('step.quantizeRun'), () =>
    quantizeModel(
      bytes,
      {
        method: req.method,
        calibration: calibration?.rows,
        calibrationOptions: { method: req.calibrate ?? 'minmax' },
        perChannel,
        activationType: req.activations ?? 'uint8',
        exclude: req.exclude ?? [],
        metadata: lineageMetadata({ parentSha256: record.sha256, parentRef, method: req.method, calibrationSha256: calSha, settings })
      },
      { signal: jc.signal, onProgress: (p) => jc.progress(p.done, p.total) }
    )
  )
  jc.log('info', `${labelOf(record)}: ${report.sizeBefore} -> ${report.sizeAfter} bytes; quantized ${opCounts(report.quantized)}; kept float: ${opCounts(report.keptFloat)}`)

  const compare = await jc.step(text('step.quantizeCompare'), () =>
    compareQuantized(bytes, out, {
      rows: calibration?.rows ?? null,
      labels: calibration?.labels ?? null,
      limit: req.compareLimit,
      threads: req.threads,
      signal: jc.signal,
      onProgress: (done, total) => jc.progress(done, total)
    })
  )
  if (compare.flags.length > 0) jc.log('warn', `Flagged: ${compare.flags.join(', ')}`)

  const saved = await jc.step(text('step.quantizeSave'), async () => {
    jc.signal.throwIfAborted()
    await mkdir(scratchDir, { recursive: true })
    const file = join(scratchDir, `quantize-${randomUUID()}.onnx`)
    try {
      await writeFile(file, out)
      return await library.import(file, { name: record.name, version: req.version, notes: `${req.method} quantization of ${parentRef}` })
    } finally {
      await rm(file, { force: true })
    }
  })

  return {
    parent: { ref: parentRef, sha256: record.sha256 },
    model: {
      ref: `${saved.record.name}@${saved.record.version}`,
      sha256: saved.record.sha256,
      name: saved.record.name,
      version: saved.record.version,
      alreadyPresent: saved.alreadyPresent
    },
    method: req.method,
    settings: report.settings,
    calibration: calibration && calSha ? { samples: calibration.rows.length, sha256: calSha } : null,
    sizeBytes: { before: report.sizeBefore, after: report.sizeAfter },
    sizeRatio: report.sizeAfter / report.sizeBefore,
    quantized: report.quantized,
    keptFloat: report.keptFloat,
    opsBefore: report.opsBefore,
    opsAfter: report.opsAfter,
    compare
  }
}

/** `Conv 2, Gemm 2`, or `none`: for the job log a person reads. */
function opCounts(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([op, n]) => `${op} ${n}`)
  return parts.length ? parts.join(', ') : 'none'
}
