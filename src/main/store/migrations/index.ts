// Every migration, in order. Append new ones; never edit or reorder applied ones (the runner checks).
import type { Migration } from '../migrate'
import m0001 from './0001-initial'
import m0002 from './0002-models'

export const migrations: readonly Migration[] = [m0001, m0002]
