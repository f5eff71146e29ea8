// Seeded pseudo-random model inputs: the same values on every unit and on the desktop for the same
// seed, so a unit's benchmark and the desktop's quantization check compare alike.

/** The old bench's fixed xorshift32 start state; seed 0 keeps its inputs. */
const BASE_STATE = 2463534242

/** xorshift32 values in [0, 1); a different seed gives a different sequence. */
export function seededInput(length: number, seed = 0): Float32Array {
  const out = new Float32Array(length)
  let x = (BASE_STATE ^ seed) >>> 0 || BASE_STATE
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = (x >>> 0) / 4294967296
  }
  return out
}
