// ONNX protobuf -> ModelSummary. Pure: bytes in, summary out, a ModelMalformedError for anything that
// is not a complete model. Decoding keeps weight bytes as views into `bytes`, so parsing a 46 MB model
// costs little beyond the file itself.
import { ModelMalformedError } from './errors'
import type { InitializerTypeStats, ModelSummary, OpsetImport, TensorInfo } from './model-summary'
import { elementBytes, elementTypeName } from './onnx-element-types'
import { int64ToNumber, modelProto, type OnnxGraph, type OnnxModel, type OnnxValueInfo } from './onnx-schema'
import { findStructuralProblem } from './onnx-validate'
import { classifyPrecision } from './precision'

export function decodeOnnx(bytes: Uint8Array, file: string): OnnxModel {
  if (bytes.length === 0) throw new ModelMalformedError(file, 'the file is empty')
  let model: OnnxModel
  try {
    model = modelProto().decode(bytes) as unknown as OnnxModel
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    const reason = /index out of range/i.test(message)
      ? 'the file ends in the middle of a record (cut short during copy or download?)'
      : `not an ONNX protobuf (${message})`
    throw new ModelMalformedError(file, reason, err)
  }
  const problem = findStructuralProblem(model)
  if (problem) throw new ModelMalformedError(file, problem)
  return model
}

export function parseOnnx(bytes: Uint8Array, file = 'model.onnx'): ModelSummary {
  return summarize(decodeOnnx(bytes, file))
}

function summarize(model: OnnxModel): ModelSummary {
  // findStructuralProblem has checked that graph exists.
  const graph = model.graph as OnnxGraph
  const initializerNames = new Set((graph.initializer ?? []).map((t) => t.name ?? ''))
  // Before IR 4, initializers were also listed as graph inputs; they are weights, not inputs.
  const inputs = (graph.input ?? []).filter((v) => !initializerNames.has(v.name ?? '')).map(tensorInfo)
  const outputs = (graph.output ?? []).map(tensorInfo)

  const opHistogram: Record<string, number> = {}
  const initializerTypes: Record<string, InitializerTypeStats> = {}
  const externalDataTensors: string[] = []
  let nodeCount = 0
  let parameterCount = 0
  let initializerBytes = 0

  const visit = (g: OnnxGraph): void => {
    for (const tensor of g.initializer ?? []) {
      const elements = (tensor.dims ?? []).reduce<number>((n, d) => n * int64ToNumber(d), 1)
      const type = elementTypeName(tensor.dataType)
      const bytes = elementBytes(tensor.dataType, elements) ?? tensor.rawData?.length ?? 0
      const stats = (initializerTypes[type] ??= { tensors: 0, elements: 0, bytes: 0 })
      stats.tensors += 1
      stats.elements += elements
      stats.bytes += bytes
      parameterCount += elements
      initializerBytes += bytes
      if (tensor.dataLocation === 1 || (tensor.externalData?.length ?? 0) > 0) externalDataTensors.push(tensor.name ?? '')
    }
    for (const node of g.node ?? []) {
      nodeCount += 1
      const domain = node.domain ?? ''
      const key = domain === '' || domain === 'ai.onnx' ? (node.opType ?? '') : `${domain}:${node.opType ?? ''}`
      opHistogram[key] = (opHistogram[key] ?? 0) + 1
      for (const attribute of node.attribute ?? []) {
        if (attribute.g) visit(attribute.g)
        for (const sub of attribute.graphs ?? []) visit(sub)
      }
    }
  }
  visit(graph)

  const opsets: OpsetImport[] = (model.opsetImport ?? []).map((o) => ({
    domain: o.domain ? o.domain : 'ai.onnx',
    version: int64ToNumber(o.version)
  }))
  const metadata: Record<string, string> = {}
  for (const entry of model.metadataProps ?? []) if (entry.key) metadata[entry.key] = entry.value ?? ''

  const { precision, quantization } = classifyPrecision(opHistogram, initializerTypes, inputs)
  return {
    irVersion: int64ToNumber(model.irVersion),
    producer: { name: model.producerName ?? '', version: model.producerVersion ?? '' },
    opsets,
    inputs,
    outputs,
    nodeCount,
    opHistogram: sortedByKey(opHistogram),
    parameterCount,
    initializerBytes,
    initializerTypes,
    precision,
    quantization,
    externalDataTensors,
    metadata
  }
}

function tensorInfo(value: OnnxValueInfo): TensorInfo {
  const tensorType = value.type?.tensorType
  const dims = tensorType?.shape?.dim
  return {
    name: value.name ?? '',
    elementType: tensorType ? elementTypeName(tensorType.elemType) : 'non-tensor',
    shape: dims ? dims.map((d) => (d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? int64ToNumber(d.dimValue) : '?')) : null
  }
}

function sortedByKey(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)))
}
