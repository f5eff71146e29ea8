// ONNX Runtime reports problems as plain Error messages. These turn them into named errors; the one a
// technician most needs is "no kernel for this op", which otherwise reads as a generic load failure.
import {
  ModelLoadFailedError,
  ModelOpsetUnsupportedError,
  ModelOpUnsupportedError,
  ModelRunFailedError,
  type ModelError
} from './errors'

// "Could not find an implementation for QLinearConv(10) node with name 'qconv'"
const noKernel = /Could not find an implementation for (\S+?)\((\d+)\) node/
// "Fatal error: com.example:Foo(-1) is not a registered function/op"
const unknownOp = /(\S+?)\((-?\d+)\) is not a registered function\/op/
// "... Opset 99 is under development ... Current official support for domain ai.onnx is till opset 26."
const futureOpset = /Opset (\d+) is under development.*?support for domain (\S+) is till opset (\d+)/s
// Some kernels refuse a type only at run time: "... NOT_IMPLEMENTED : ... ConvInteger ..."
const notImplemented = /NOT_IMPLEMENTED[^A-Za-z]*.*?\b([A-Z][A-Za-z]+(?:Integer|Linear\w*|Conv\w*|MatMul\w*))\b/

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

export function ortLoadError(label: string, err: unknown): ModelError {
  const message = messageOf(err)
  const op = noKernel.exec(message) ?? unknownOp.exec(message)
  if (op?.[1]) {
    const opset = Number(op[2])
    return new ModelOpUnsupportedError(label, op[1], opset > 0 ? opset : undefined, err)
  }
  const opset = futureOpset.exec(message)
  if (opset?.[2]) return new ModelOpsetUnsupportedError(label, opset[2], Number(opset[1]), Number(opset[3]), err)
  return new ModelLoadFailedError(label, plain(message), err)
}

export function ortRunError(label: string, err: unknown): ModelError {
  const message = messageOf(err)
  const match = noKernel.exec(message) ?? notImplemented.exec(message)
  if (match?.[1]) return new ModelOpUnsupportedError(label, match[1], match[2] ? Number(match[2]) : undefined, err)
  return new ModelRunFailedError(label, plain(message), err)
}

/** The first line, without ORT's source location ("/onnxruntime_src/...cc:46 void f(...) ") and
 *  status prefix ("[ONNXRuntimeError] : 2 : INVALID_ARGUMENT : "), which mean nothing to a user. */
export function plain(message: string): string {
  const line = message.split('\n')[0] ?? message
  return line
    .replace(/^\S*onnxruntime\S*\.(?:cc|h|cpp):\d+ .*?\)\s+/, '')
    .replace(/^\[ONNXRuntimeError\] : \d+ : \w+ : /, '')
    .slice(0, 300)
}
