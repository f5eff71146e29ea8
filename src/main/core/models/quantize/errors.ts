// Quantization refusals, as EdgeErrors so every transport carries their code.
import { EdgeError, type ErrorCode } from '../../../../shared/errors'

export class QuantizeError extends EdgeError {
  constructor(code: ErrorCode, message: string, detail = '') {
    super(code, detail, { message })
  }
}

/** No dedicated code exists yet for "nothing to quantize"; INVALID_INPUT carries the reason. */
export const notQuantizable = (reason: string): QuantizeError =>
  new QuantizeError('INVALID_INPUT', `The model cannot be quantized: ${reason}`, reason)

export const cancelled = (): QuantizeError => new QuantizeError('JOB_CANCELLED', 'Quantization was cancelled')
