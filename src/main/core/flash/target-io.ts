// Opening a target for the writer: a regular file as it is, a block device exclusively (Linux
// refuses O_EXCL on a disk with a mounted partition) and, where the kernel takes it, with O_DIRECT
// so the page cache neither doubles the memory use nor hides a failing card until the end.
import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import type { TargetKind } from './target-safety'

export interface TargetHandle {
  write(buf: Buffer, offset: number, length: number, position: number): Promise<unknown>
  read(buf: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>
  sync(): Promise<void>
  truncate(length: number): Promise<void>
  close(): Promise<void>
}

export interface TargetIo {
  open(target: string, kind: TargetKind): Promise<TargetHandle>
}

function directFlag(): number {
  return process.platform === 'linux' ? (constants.O_DIRECT ?? 0) : 0
}

/** O_DIRECT wants aligned memory, which Node cannot promise; EINVAL means "not here", so go buffered. */
function withDirectFallback(path: string, first: TargetHandle, buffered: () => Promise<TargetHandle>): TargetHandle {
  let h = first
  let fellBack = false
  const retry = async <T>(op: (x: TargetHandle) => Promise<T>): Promise<T> => {
    try {
      return await op(h)
    } catch (err) {
      if (fellBack || (err as NodeJS.ErrnoException).code !== 'EINVAL') throw err
      fellBack = true
      await h.close()
      h = await buffered()
      return op(h)
    }
  }
  void path
  return {
    write: (b, o, l, p) => retry((x) => x.write(b, o, l, p)),
    read: (b, o, l, p) => retry((x) => x.read(b, o, l, p)),
    sync: () => retry((x) => x.sync()),
    truncate: (l) => retry((x) => x.truncate(l)),
    close: () => h.close()
  }
}

export const systemTargetIo: TargetIo = {
  async open(target, kind) {
    if (kind === 'file') return open(target, constants.O_RDWR | constants.O_CREAT, 0o644)
    const base = constants.O_RDWR | constants.O_EXCL
    const buffered = () => open(target, base)
    const direct = directFlag()
    if (direct === 0) return buffered()
    try {
      return withDirectFallback(target, await open(target, base | direct), buffered)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EINVAL') return buffered()
      throw err
    }
  }
}
