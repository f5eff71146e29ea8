import { describe, expect, it } from 'vitest'
import { ortLoadError, ortRunError } from '../../../../../src/main/core/models/ort-errors'

// Messages as onnxruntime-node 1.30.0 prints them.
describe('ORT error messages', () => {
  it('names a custom-domain op ORT does not know', () => {
    const err = ortLoadError('faces@1', new Error('Fatal error: com.example:Foo(-1) is not a registered function/op'))
    expect(err).toMatchObject({ code: 'MODEL_OP_UNSUPPORTED', detail: 'com.example:Foo' })
    expect(err.message).not.toContain('opset')
  })

  it('says an opset is too new and what ORT supports', () => {
    const message =
      '/onnxruntime_src/onnxruntime/core/graph/model_load_utils.h:46 void onnxruntime::model_load_utils::ValidateOpsetForDomain(const std::unordered_map<std::__cxx11::basic_string<char>, int>&, const onnxruntime::logging::Logger&, bool, const std::string&, int) ONNX Runtime only *guarantees* support for models stamped with official released onnx opset versions. Opset 99 is under development and support for this is limited. The operator schemas and or other functionality may change before next ONNX release and in this case ONNX Runtime will not guarantee backward compatibility. Current official support for domain ai.onnx is till opset 26.'
    const err = ortLoadError('faces@1', new Error(message))
    expect(err).toMatchObject({ code: 'MODEL_OPSET_UNSUPPORTED', detail: 'ai.onnx 99' })
    expect(err.message).toContain('up to 26')
  })

  it('keeps other load failures, without ORT source locations', () => {
    const err = ortLoadError('x', new Error('[ONNXRuntimeError] : 7 : INVALID_PROTOBUF : Load model from /tmp/x.onnx failed:Protobuf parsing failed.'))
    expect(err).toMatchObject({ code: 'MODEL_LOAD_FAILED', message: 'ONNX Runtime could not load x: Load model from /tmp/x.onnx failed:Protobuf parsing failed.' })
  })

  it('maps a kernel missing at run time to MODEL_OP_UNSUPPORTED and anything else to MODEL_RUN_FAILED', () => {
    expect(ortRunError('x', new Error('Could not find an implementation for ConvInteger(10) node with name \'c\''))).toMatchObject({
      code: 'MODEL_OP_UNSUPPORTED',
      detail: 'ConvInteger'
    })
    expect(ortRunError('x', new Error('Got invalid dimensions for input: input'))).toMatchObject({ code: 'MODEL_RUN_FAILED' })
  })
})
