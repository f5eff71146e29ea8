// Decoders hand out pieces of any size; the writer wants large, equal buffers (fewer syscalls,
// aligned offsets for O_DIRECT).
export async function* rechunk(source: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let buf = Buffer.allocUnsafe(size)
  let fill = 0
  for await (const piece of source) {
    let at = 0
    while (at < piece.length) {
      const n = Math.min(size - fill, piece.length - at)
      piece.copy(buf, fill, at, at + n)
      fill += n
      at += n
      if (fill === size) {
        yield buf
        // A new buffer each time: the writer may still hold the last one while this one fills.
        buf = Buffer.allocUnsafe(size)
        fill = 0
      }
    }
  }
  if (fill > 0) yield buf.subarray(0, fill)
}
