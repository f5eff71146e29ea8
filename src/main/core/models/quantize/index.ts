// Quantization of float ONNX models (static INT8 QDQ, dynamic INT8, FP16), for the library, CLI and UI to call.
export { calibrate, calibrationSha256, checkCalibrationSet, type CalibrationMethod, type CalibrationOptions, type CalibrationRun, type Progress, type Range } from './calibrate'
export { QuantizeError } from './errors'
export { entropyRange, percentileRange, newHistogram, addToHistogram, type Histogram } from './histogram'
export { quantizeModel, type QuantizeOptions, type QuantizeReport } from './quantize-model'
export { recommendMethod, type QuantizeMethod, type Recommendation, type RecommendReason } from './recommend'
