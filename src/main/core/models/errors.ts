// Named errors of the model library. Each carries a stable `code` and a short `detail` (file name,
// op name, shape) that the lead's table in src/shared/errors.ts puts into the technician's sentence.

import { EdgeError } from '../../../shared/errors'

export type ModelErrorCode =
  | 'MODEL_FILE_UNREADABLE'
  | 'MODEL_MALFORMED'
  | 'MODEL_EXTERNAL_DATA'
  | 'MODEL_NOT_FOUND'
  | 'MODEL_VERSION_EXISTS'
  | 'MODEL_STORE_WRITE_FAILED'
  | 'MODEL_LOAD_FAILED'
  | 'MODEL_OP_UNSUPPORTED'
  | 'MODEL_OPSET_UNSUPPORTED'
  | 'MODEL_RUN_FAILED'
  | 'MODEL_INPUT_UNSUPPORTED'
  | 'SAMPLES_INVALID'
  | 'SAMPLES_SHAPE_MISMATCH'
  | 'COMPARE_OUTPUT_MISMATCH'

/** An EdgeError, so every transport serialises it as {code, message, detail} like the rest. */
export class ModelError extends EdgeError {
  declare readonly code: ModelErrorCode
  constructor(code: ModelErrorCode, message: string, detail = '', options?: { cause?: unknown }) {
    super(code, detail, { ...options, message })
  }
}

export class ModelMalformedError extends ModelError {
  constructor(readonly file: string, readonly reason: string, cause?: unknown) {
    super('MODEL_MALFORMED', `${file} is not a complete ONNX model: ${reason}`, `${file}: ${reason}`, { cause })
  }
}

export class ModelFileUnreadableError extends ModelError {
  constructor(readonly file: string, cause?: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause)
    super('MODEL_FILE_UNREADABLE', `Cannot read ${file}: ${why}`, file, { cause })
  }
}

/** The store keeps one self-contained file per model; weights in side files would not travel with it. */
export class ModelExternalDataError extends ModelError {
  constructor(readonly file: string, readonly tensor: string) {
    super(
      'MODEL_EXTERNAL_DATA',
      `${file} keeps the weights of "${tensor}" in a separate file; save the model with its weights inside the .onnx file`,
      file
    )
  }
}

export class ModelNotFoundError extends ModelError {
  constructor(readonly id: string) {
    super('MODEL_NOT_FOUND', `No model ${id} in the library`, id)
  }
}

export class ModelVersionExistsError extends ModelError {
  constructor(readonly modelName: string, readonly version: string) {
    super('MODEL_VERSION_EXISTS', `The library already has "${modelName}" version ${version}`, `${modelName} ${version}`)
  }
}

export class ModelStoreWriteFailedError extends ModelError {
  constructor(readonly path: string, cause?: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause)
    super('MODEL_STORE_WRITE_FAILED', `Could not save the model into ${path}: ${why}`, path, { cause })
  }
}

export class ModelLoadFailedError extends ModelError {
  constructor(readonly file: string, readonly runtimeMessage: string, cause?: unknown) {
    super('MODEL_LOAD_FAILED', `ONNX Runtime could not load ${file}: ${runtimeMessage}`, file, { cause })
  }
}

/** ONNX Runtime has no kernel for this op with these types on this machine (e.g. ConvInteger, int8 weights). */
export class ModelOpUnsupportedError extends ModelError {
  constructor(readonly file: string, readonly op: string, readonly opsetVersion: number | undefined, cause?: unknown) {
    const opset = opsetVersion === undefined ? '' : ` (opset ${opsetVersion})`
    super(
      'MODEL_OP_UNSUPPORTED',
      `ONNX Runtime on this computer cannot run ${file}: no CPU kernel for ${op}${opset} with the types this model uses`,
      op,
      { cause }
    )
  }
}

/** The model was exported for a newer ONNX opset than this ONNX Runtime knows. */
export class ModelOpsetUnsupportedError extends ModelError {
  constructor(readonly file: string, readonly domain: string, readonly opset: number, readonly supported: number | undefined, cause?: unknown) {
    const limit = supported === undefined ? '' : `; it supports up to ${supported}`
    super(
      'MODEL_OPSET_UNSUPPORTED',
      `${file} uses opset ${opset} of ${domain}, newer than ONNX Runtime on this computer knows${limit}. Export it again with an older opset`,
      `${domain} ${opset}`,
      { cause }
    )
  }
}

export class ModelRunFailedError extends ModelError {
  constructor(readonly file: string, readonly runtimeMessage: string, cause?: unknown) {
    super('MODEL_RUN_FAILED', `Running ${file} failed: ${runtimeMessage}`, file, { cause })
  }
}

export class ModelInputUnsupportedError extends ModelError {
  constructor(readonly file: string, reason: string) {
    super('MODEL_INPUT_UNSUPPORTED', `${file} cannot be fed from a sample set: ${reason}`, reason)
  }
}

export class SamplesInvalidError extends ModelError {
  constructor(readonly reason: string, cause?: unknown) {
    super('SAMPLES_INVALID', `The sample set is not usable: ${reason}`, reason, { cause })
  }
}

export class SamplesShapeMismatchError extends ModelError {
  constructor(readonly file: string, readonly rowLength: number, readonly inputShape: readonly (number | string)[]) {
    const shape = `[${inputShape.join(',')}]`
    super(
      'SAMPLES_SHAPE_MISMATCH',
      `Sample rows have ${rowLength} values, which do not fit the input ${shape} of ${file}`,
      `${rowLength} -> ${shape}`
    )
  }
}

export class CompareOutputMismatchError extends ModelError {
  constructor(readonly sizeA: number, readonly sizeB: number) {
    super(
      'COMPARE_OUTPUT_MISMATCH',
      `The two models give outputs of different sizes (${sizeA} and ${sizeB} values), so they cannot be compared`,
      `${sizeA} vs ${sizeB}`
    )
  }
}
