// Named errors of the device runtime: each carries the code whose sentence the technician reads
// (src/shared/errors.ts) and a short detail for it.
import { EdgeError } from '../../../shared/errors'

export type RuntimeErrorCode =
  | 'RUNTIME_32BIT_USERLAND'
  | 'RUNTIME_ARCH_UNSUPPORTED'
  | 'RUNTIME_GLIBC_TOO_OLD'
  | 'RUNTIME_DISK_FULL'
  | 'RUNTIME_PREFLIGHT_UNREADABLE'
  | 'RUNTIME_BUNDLE_FAILED'

export class RuntimeError extends EdgeError {
  declare readonly code: RuntimeErrorCode
  constructor(code: RuntimeErrorCode, detail = '', options?: { cause?: unknown; message?: string }) {
    super(code, detail, options)
  }
}
