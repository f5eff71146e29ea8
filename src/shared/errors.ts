// Error codes and the sentences a technician reads, in every UI language.
// To add an error code: add 'error.YOUR_CODE' to the "Error messages" section of
// src/shared/i18n/en.ts and of src/shared/i18n/zh.ts. The code exists once the English entry does,
// and tsc fails until the Chinese one is there too. Messages say what happened and what to do next;
// `{detail}` is filled with a short, secret-free detail when there is one.
import { en } from './i18n/en'
import { catalogues, type Language, type MessageKey } from './i18n'
import { formatMessage } from './i18n/message'

export type { Language } from './i18n'

type CodeOf<K> = K extends `error.${infer C}` ? C : never
export type ErrorCode = CodeOf<MessageKey>

export const errorCodes = Object.keys(en)
  .filter((k) => k.startsWith('error.'))
  .map((k) => k.slice('error.'.length)) as ErrorCode[]

const known = new Set<string>(errorCodes)

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && known.has(value)
}

export function errorMessage(code: ErrorCode, lang: Language, detail = ''): string {
  // Every error message takes `{detail}` or no variable at all; the formatter ignores an unused one.
  return formatMessage(catalogues[lang][`error.${code}`], lang, { detail }).replace(/[:：]\s*$/, '')
}

/** The one error type that crosses a transport: a code, an English message, a detail. */
export class EdgeError extends Error {
  override readonly name = 'EdgeError'
  constructor(
    readonly code: ErrorCode,
    readonly detail = '',
    options?: { cause?: unknown; message?: string }
  ) {
    // A more specific English message may replace the table's; UIs still render code + detail.
    super(options?.message ?? errorMessage(code, 'en', detail), options)
  }
}

export interface SerializedError {
  code: ErrorCode
  message: string
  detail: string
}

export function serializeError(err: EdgeError): SerializedError {
  return { code: err.code, message: err.message, detail: err.detail }
}

/** For exhaustive switches: the compiler proves this is unreachable. */
export function missingCase(value: never): never {
  throw new Error(`Unhandled case: ${String(value)}`)
}
