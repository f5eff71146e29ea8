import { EdgeError } from '../../shared/errors'
import type { Services } from './services'
import type { HandlersFor } from './handlers'

export const jobsApi = (s: Services) =>
  ({
    'jobs.list': (q) => s.store.jobs.list(q),
    'jobs.get': ({ id }) => {
      const job = s.store.jobs.detail(id)
      if (!job) throw new EdgeError('JOB_NOT_FOUND', id)
      return job
    },
    'jobs.cancel': ({ id }) => s.jobs.cancel(id)
  }) satisfies HandlersFor<'jobs'>
