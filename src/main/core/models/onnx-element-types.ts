// TensorProto.DataType from onnx.proto: the number stored in the file, the name shown to a user, and
// the size of one element in bits (0 where it is not fixed, e.g. strings).

interface ElementType { name: string; bits: number }

const table: Record<number, ElementType> = {
  1: { name: 'float32', bits: 32 },
  2: { name: 'uint8', bits: 8 },
  3: { name: 'int8', bits: 8 },
  4: { name: 'uint16', bits: 16 },
  5: { name: 'int16', bits: 16 },
  6: { name: 'int32', bits: 32 },
  7: { name: 'int64', bits: 64 },
  8: { name: 'string', bits: 0 },
  9: { name: 'bool', bits: 8 },
  10: { name: 'float16', bits: 16 },
  11: { name: 'float64', bits: 64 },
  12: { name: 'uint32', bits: 32 },
  13: { name: 'uint64', bits: 64 },
  14: { name: 'complex64', bits: 64 },
  15: { name: 'complex128', bits: 128 },
  16: { name: 'bfloat16', bits: 16 },
  17: { name: 'float8e4m3fn', bits: 8 },
  18: { name: 'float8e4m3fnuz', bits: 8 },
  19: { name: 'float8e5m2', bits: 8 },
  20: { name: 'float8e5m2fnuz', bits: 8 },
  21: { name: 'uint4', bits: 4 },
  22: { name: 'int4', bits: 4 },
  23: { name: 'float4e2m1', bits: 4 }
}

export const ElementTypeCode = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  float16: 10,
  float64: 11,
  bfloat16: 16
} as const

export function elementTypeName(code: number | undefined): string {
  if (code === undefined || code === 0) return 'undefined'
  return table[code]?.name ?? `type-${code}`
}

/** Bytes taken by `count` elements, or undefined when the type has no fixed size. */
export function elementBytes(code: number | undefined, count: number): number | undefined {
  const bits = code === undefined ? 0 : (table[code]?.bits ?? 0)
  if (bits === 0) return undefined
  return Math.ceil((count * bits) / 8)
}

export const floatTypeNames = new Set(['float32', 'float16', 'bfloat16', 'float64'])
