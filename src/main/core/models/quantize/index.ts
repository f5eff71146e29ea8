// Quantization of float ONNX models to static INT8 QDQ, for the library, CLI and UI to call.
export { calibrate, checkCalibrationSet, type CalibrationMethod, type CalibrationOptions, type CalibrationRun, type Progress, type Range } from './calibrate'
export { QuantizeError } from './errors'
export { entropyRange, percentileRange, newHistogram, addToHistogram, type Histogram } from './histogram'
export { quantizeModel, type QuantizeOptions, type QuantizeReport } from './quantize-model'
