// Every migration, in order. Append new ones; never edit or reorder applied ones (the runner checks).
import type { Migration } from '../migrate'
import m0001 from './0001-initial'
import m0002 from './0002-models'
import m0003 from './0003-job-results'
import m0004 from './0004-discovered-devices'
import m0005 from './0005-job-owners'
import m0006 from './0006-bench'
import m0007 from './0007-logs'

export const migrations: readonly Migration[] = [m0001, m0002, m0003, m0004, m0005, m0006, m0007]
