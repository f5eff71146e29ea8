// Quantization: start the job, advise a method, read a version's lineage. Spread into modelsApi
// (these are models.* methods, and that module's `satisfies` covers every one of them).
import { statSync } from 'node:fs'
import path from 'node:path'
import { EdgeError } from '../../shared/errors'
import { text } from '../../shared/texts'
import { lineageOf } from '../core/models/quantize/lineage'
import { runQuantizeJob } from '../core/models/quantize/quantize-job'
import { recommendMethod } from '../core/models/quantize/recommend'
import type { CallContext, HandlersFor } from './handlers'
import type { Services } from './services'
import { resolveUserFile, type FileRef } from './user-files'

/** A calibration file as any other user file; on the desktop and the CLI also a folder of them. */
function resolveCalibration(ref: FileRef | { builtin: 'digits-100' }, ctx: CallContext, s: Services): string {
  if ('builtin' in ref) return path.join(s.resourcesDir, 'models', 'digits_samples_100.json')
  const p = ref.path
  if (p !== undefined && ctx.transport !== 'station' && path.isAbsolute(p) && !p.includes('\0')) {
    try {
      if (statSync(p).isDirectory()) return p
    } catch {
      throw new EdgeError('INVALID_INPUT', `${p} is not a file or folder`)
    }
  }
  return resolveUserFile(ref, ctx, s.dataDir, ['.json'])
}

const STATIC_NEEDS_CALIBRATION = 'Static INT8 needs a calibration set of typical inputs; give one, or choose dynamic INT8 or FP16, which need none.'

export const quantizeModelsApi = (s: Services) =>
  ({
    'models.quantize': ({ ref, method, calibration, calibrate, perChannel, activations, exclude, version, compareLimit }, ctx) => {
      // Refused before a job exists: an unknown model or a missing file is a typing mistake, not a run.
      const record = s.models.store.get(ref)
      if (method === 'static' && !calibration) throw new EdgeError('INVALID_INPUT', STATIC_NEEDS_CALIBRATION)
      const calibrationPath = calibration ? resolveCalibration(calibration, ctx, s) : null
      const label = `${record.name}@${record.version}`
      const job = s.jobs.start({ kind: 'models.quantize', title: text('job.modelsQuantize', { model: label, method }) }, async (jc) => {
        const result = await runQuantizeJob(s.models, path.join(s.dataDir, 'incoming'), { ref: record.sha256, method, calibrationPath, calibrate, perChannel, activations, exclude, version, compareLimit }, jc)
        jc.setResult(result)
        const c = result.compare
        jc.log(
          'info',
          `${result.model.ref}: ${(result.sizeRatio * 100).toFixed(1)}% of the size, agreement ${(c.agreement * 100).toFixed(1)}%, cosine ${c.cosine.mean.toFixed(4)}, ` +
            `p50 ${c.latency.before.p50Ms.toFixed(2)} -> ${c.latency.after.p50Ms.toFixed(2)} ms`
        )
        s.store.history.add({
          kind: 'model.quantized',
          deviceId: null,
          deviceName: null,
          jobId: jc.jobId,
          summary: `Quantized ${label} (${method}) into ${result.model.ref} (${result.model.sha256.slice(0, 12)})${c.flags.length ? `; flagged: ${c.flags.join(', ')}` : ''}`,
          outcome: c.flags.length ? 'info' : 'ok'
        })
      })
      return { jobId: job.id }
    },
    'models.quantizeAdvice': ({ ref, calibration }) => recommendMethod(s.models.store.get(ref).summary, calibration),
    'models.lineage': ({ ref }) => {
      const record = s.models.store.get(ref)
      const lineage = lineageOf(record)
      const all = s.models.list()
      const parent = lineage ? (all.find((r) => r.sha256 === lineage.parentSha256) ?? null) : null
      const children = all.flatMap((r) => {
        const l = lineageOf(r)
        return l && l.parentSha256 === record.sha256 ? [{ record: r, lineage: l }] : []
      })
      return { record, lineage, parent, children }
    }
  }) satisfies Pick<HandlersFor<'models'>, 'models.quantize' | 'models.quantizeAdvice' | 'models.lineage'>
