import path from 'node:path'
import { text } from '../../shared/texts'
import type { Services } from './services'
import { deployModelsApi } from './deploy-api'
import { quantizeModelsApi } from './quantize-api'
import type { HandlersFor } from './handlers'
import { resolveUserFile } from './user-files'

export const modelsApi = (s: Services) =>
  ({
    'models.list': () => s.models.list(),
    'models.import': async ({ file, name, version, notes }, ctx) => {
      const p = resolveUserFile(file, ctx, s.dataDir, ['.onnx'])
      // An upload has no name of its own: the caller's name, else "model".
      const result = await s.models.import(p, { name: name ?? (file.upload ? 'model' : undefined), version, notes })
      s.store.history.add({
        kind: 'model.imported',
        deviceId: null,
        deviceName: null,
        jobId: null,
        summary: `${result.alreadyPresent ? 'Already had' : 'Imported'} ${result.record.name}@${result.record.version} (${result.record.sha256.slice(0, 12)})`,
        outcome: 'ok'
      })
      return result
    },
    'models.inspect': ({ ref }) => s.models.inspect(ref),
    'models.inspectFile': ({ file }, ctx) => s.models.inspectFile(resolveUserFile(file, ctx, s.dataDir, ['.onnx'])),
    'models.remove': async ({ ref }) => {
      const r = await s.models.remove(ref)
      s.store.history.add({
        kind: 'model.removed',
        deviceId: null,
        deviceName: null,
        jobId: null,
        summary: `Removed ${r.name}@${r.version} from the library`,
        outcome: 'info'
      })
      return r
    },
    'models.compare': ({ a, b, samples, limit }, ctx) => {
      const samplesPath =
        'builtin' in samples ? path.join(s.resourcesDir, 'models', 'digits_samples_100.json') : resolveUserFile(samples, ctx, s.dataDir, ['.json'])
      const job = s.jobs.start({ kind: 'models.compare', title: text('job.modelsCompare', { a, b }) }, async (jc) => {
        const report = await jc.step(text('step.compareModels'), () =>
          s.models.compare(a, b, samplesPath, { limit, signal: jc.signal, onProgress: (done, total) => jc.progress(done, total) })
        )
        jc.log(
          'info',
          `${report.a.label}: ${(report.a.accuracy * 100).toFixed(2)}%, ${report.b.label}: ${(report.b.accuracy * 100).toFixed(2)}%, ` +
            `top-1 agreement ${(report.top1Agreement * 100).toFixed(2)}% over ${report.samples} samples`
        )
        jc.setResult(report)
      })
      return { jobId: job.id }
    },
    ...deployModelsApi(s),
    ...quantizeModelsApi(s)
  }) satisfies HandlersFor<'models'>
