// The delta format a push sends and the agent applies (core/deploy/model-delta.ts writes it,
// agent/apply-delta.ts reads it): Fossil's, whose numbers are written in this base-64 alphabet.
export const DELTA_DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~'
