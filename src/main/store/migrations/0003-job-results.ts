import type { Migration } from '../migrate'

// Some jobs end with a result worth keeping beside their log (a model comparison, a benchmark).
const migration: Migration = {
  version: 3,
  name: 'job-results',
  up: `ALTER TABLE jobs ADD COLUMN result TEXT;`
}
export default migration
