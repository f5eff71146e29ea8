// Benchmarks: start a matrix job, read runs, cells and raw samples, compare, export.
import path from 'node:path'
import type { Services } from './services'
import { whoFor } from '../core/deploy/unit-job'
import type { HandlersFor } from './handlers'
import { resolveUserFile } from './user-files'

export const benchApi = (s: Services) =>
  ({
    'bench.start': ({ samples, ...req }, ctx) => {
      const samplesFile = !samples ? null : 'builtin' in samples ? path.join(s.resourcesDir, 'models', 'digits_samples_100.json') : resolveUserFile(samples, ctx, s.dataDir, ['.json'])
      return s.bench.start({ ...req, samplesFile, who: whoFor(ctx.transport) })
    },
    'bench.list': (q) => s.bench.list(q),
    'bench.get': ({ id }) => s.bench.get(id),
    'bench.samples': ({ cellId }) => s.bench.samples(cellId),
    'bench.compare': ({ ids }) => s.bench.compare(ids),
    'bench.export': ({ ids, format }) => s.bench.export(ids, format)
  }) satisfies HandlersFor<'bench'>
