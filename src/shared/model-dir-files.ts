// The files of a model version's directory on a unit (models/<version>/), named once for the push,
// which writes them, and the agent, which reads them.
export const MODEL_FILE = 'model.onnx'
export const META_FILE = 'meta.json'
/** Written by the push right after its sha256 check passed, so the agent need not hash the file again
 *  when it loads it moments later (src/agent/model-dir.ts says when it trusts it). */
export const VERIFIED_FILE = 'verified'
