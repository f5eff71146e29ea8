import type { ModelRecordDto } from '../../../shared/models'

/** How a technician names a library model: name@version. */
export const refOf = (m: ModelRecordDto): string => `${m.name}@${m.version}`
export const mb = (n: number): string => `${(n / 1e6).toFixed(n < 1e6 ? 2 : 1)} MB`
