// How a push brought a model file, in the words the job history and the CLI use (the renderer has
// the same sentences in its message catalogue: mp.sent*).
import type { PushMethod } from './deploy'
import { formatBytes } from './format'

export function sentText(s: { method: PushMethod; bytesSent: number; fileBytes: number; base: string | null }): string {
  switch (s.method) {
    case 'none':
      return 'nothing sent: already on the unit'
    case 'reuse':
      return `nothing sent: made from the identical file of ${s.base} on the unit`
    case 'delta':
      return `sent ${formatBytes(s.bytesSent)} of ${formatBytes(s.fileBytes)} (delta from ${s.base})`
    case 'full':
      return `sent ${formatBytes(s.bytesSent)} of ${formatBytes(s.fileBytes)}`
  }
}
