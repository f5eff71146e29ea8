// The flash part of the API contract, spread into contract.ts: the drives with a verdict each, what
// an image is, and a flash job (one read of the source, several targets, optional first-boot settings).
import * as z from 'zod'
import { fileRefSchema } from './domain'

const sha256Hex = z.string().regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 is 64 hexadecimal digits')
/** A drive path (/dev/sdb) or an image file; the writer checks every one again itself. */
const targetPath = z.string().min(1).max(4096)

export const flashVerdictSchema = z.object({
  /** ok: may be written; warn: may be written once confirmed (over 128 GB); refused: never. */
  state: z.enum(['ok', 'warn', 'refused']),
  /** A FLASH_* error code saying why (null when ok). */
  code: z.string().nullable(),
  detail: z.string()
})
export type FlashVerdict = z.infer<typeof flashVerdictSchema>

export const flashDriveSchema = z.object({
  name: z.string(),
  path: z.string(),
  sizeBytes: z.number(),
  model: z.string().nullable(),
  vendor: z.string().nullable(),
  transport: z.string().nullable(),
  removable: z.boolean(),
  mountpoints: z.array(z.string()),
  verdict: flashVerdictSchema
})
export type FlashDrive = z.infer<typeof flashDriveSchema>

export const flashInspectionSchema = z.object({
  path: z.string(),
  format: z.enum(['raw', 'xz', 'gzip', 'zip', 'zstd']),
  /** Bytes of the image once unpacked; null when the format does not say (gzip, zstd). */
  sizeBytes: z.number().nullable(),
  fileBytes: z.number(),
  /** How the image is set up for its first boot; null when not known before writing (packed images) or none. */
  firstBoot: z.enum(['firstrun', 'cloud-init']).nullable(),
  bootLabel: z.string().nullable()
})
export type FlashInspection = z.infer<typeof flashInspectionSchema>

export const flashCustomiseSchema = z
  .object({
    hostname: z.string().min(1).max(253).optional(),
    user: z
      .object({
        name: z.string().min(1).max(32),
        /** Plain text, hashed (SHA-512 crypt) before it leaves the app; never stored. */
        password: z.string().min(1).max(256).optional(),
        /** Or a ready `$6$` hash. */
        passwordHash: z.string().min(1).max(512).optional()
      })
      .strict()
      .optional(),
    /** Put EdgeDock's own SSH key in the user's authorized_keys (default true when a user is given). */
    edgedockKey: z.boolean().optional(),
    authorizedKeys: z.array(z.string().min(1).max(16_384)).max(32).optional(),
    wifi: z
      .object({
        country: z.string().min(2).max(2),
        ssid: z.string().min(1).max(32),
        passphrase: z.string().min(8).max(63).optional(),
        psk: z.string().regex(/^[0-9a-fA-F]{64}$/).optional(),
        hidden: z.boolean().optional()
      })
      .strict()
      .optional(),
    locale: z.string().min(1).max(64).optional(),
    keyboardLayout: z.string().min(1).max(32).optional(),
    timezone: z.string().min(1).max(64).optional(),
    staticIp: z
      .object({
        interface: z.enum(['eth0', 'wlan0']).default('eth0'),
        address: z.string().min(1).max(64),
        gateway: z.string().min(1).max(64).optional(),
        dns: z.array(z.string().min(1).max(64)).max(4).optional()
      })
      .strict()
      .optional()
  })
  .strict()
export type FlashCustomise = z.infer<typeof flashCustomiseSchema>

export const flashStartInputSchema = z
  .object({
    source: fileRefSchema,
    targets: z.array(targetPath).min(1).max(16),
    sha256: sha256Hex.optional(),
    /** The technician confirmed the drives over 128 GB. */
    confirmLarge: z.boolean().optional(),
    customise: flashCustomiseSchema.optional()
  })
  .strict()
export type FlashStartInput = z.input<typeof flashStartInputSchema>

const flashErrorSchema = z.object({ code: z.string(), message: z.string(), detail: z.string() })

export const flashTargetResultSchema = z.object({
  target: z.string(),
  bytesWritten: z.number(),
  /** SHA-256 of what was read back from the target. */
  sha256: z.string().nullable(),
  verified: z.boolean(),
  seconds: z.number(),
  skippedBytes: z.number(),
  committed: z.boolean(),
  error: flashErrorSchema.nullable(),
  firstBoot: z
    .object({
      mechanism: z.enum(['firstrun', 'cloud-init']),
      /** The unit's SSH host key, made here and pinned before the card leaves the writer. */
      hostKeyFingerprint: z.string().nullable(),
      pinnedAs: z.string().nullable()
    })
    .nullable()
})
export type FlashTargetResult = z.infer<typeof flashTargetResultSchema>

/** What a flash job stores as its result (job.result). */
export const flashJobResultSchema = z.object({
  source: z.string(),
  format: z.string(),
  /** The expected SHA-256 the source file was checked against (null when none was given or it never got that far). */
  sourceSha256: z.string().nullable(),
  targets: z.array(flashTargetResultSchema)
})
export type FlashJobResult = z.infer<typeof flashJobResultSchema>

export const flashProgressSchema = z.object({
  jobId: z.string(),
  target: z.string(),
  phase: z.enum(['write', 'verify', 'customise', 'done']),
  bytes: z.number(),
  total: z.number().nullable(),
  /** bytes per second */
  rate: z.number().nullable(),
  etaSeconds: z.number().nullable()
})
export type FlashProgressEvent = z.infer<typeof flashProgressSchema>

export const flashMethods = {
  /** Drives this machine could write, each with its verdict (system drives refused, big ones warned). */
  'flash.drives': {
    input: z
      .object({ source: z.string().max(4096).optional(), imageSizeBytes: z.number().int().positive().optional() })
      .strict()
      .default({}),
    output: z.array(flashDriveSchema)
  },
  /** What an image file is: its format, its size unpacked, its first-boot style. */
  'flash.inspect': { input: z.object({ source: fileRefSchema }).strict(), output: flashInspectionSchema },
  'flash.start': { input: flashStartInputSchema, output: z.object({ jobId: z.string() }) }
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>

export const flashEvents = {
  /** One target of a flash job moved on (at most about four times a second per target). */
  'flash.progress': flashProgressSchema
} as const satisfies Record<string, z.ZodType>
