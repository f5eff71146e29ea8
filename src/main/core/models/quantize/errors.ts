// Quantization refusals, as EdgeErrors so every transport carries their code.
import { EdgeError, type ErrorCode } from '../../../../shared/errors'

export class QuantizeError extends EdgeError {
  constructor(code: ErrorCode, message: string, detail = '') {
    super(code, detail, { message })
  }
}

export const notQuantizable = (reason: string): QuantizeError =>
  new QuantizeError('MODEL_NOT_QUANTIZABLE', `The model cannot be quantized: ${reason}`, reason)

export const unknownExclusion = (names: string[]): QuantizeError =>
  new QuantizeError('QUANTIZE_EXCLUDE_UNKNOWN', `The model has no node named ${names.join(', ')}`, names.join(', '))

export const cancelled = (): QuantizeError => new QuantizeError('JOB_CANCELLED', 'Quantization was cancelled')
