// Structural checks that catch a file cut short or not an ONNX model at all. protobuf has no length
// or checksum of its own: a file cut exactly between two top-level fields still decodes, just with
// fields missing. So a decoded model must also hang together: a graph, opset imports, outputs, and
// every name a node reads defined somewhere (graph input, initializer, or another node's output).
import { elementBytes } from './onnx-element-types'
import { int64ToNumber, type OnnxGraph, type OnnxModel, type OnnxTensor } from './onnx-schema'

/** Returns why the model is not usable, or null when it is. */
export function findStructuralProblem(model: OnnxModel): string | null {
  if (int64ToNumber(model.irVersion) < 1) return 'no IR version (the file is empty, cut short or not ONNX)'
  if (!model.graph) return 'no graph (the file is cut short or not ONNX)'
  if (!model.opsetImport || model.opsetImport.length === 0) return 'no opset imports (the file is cut short)'
  for (const opset of model.opsetImport) {
    if (int64ToNumber(opset.version) < 1) return `opset of domain "${opset.domain ?? ''}" has no version`
  }
  if (!model.graph.output || model.graph.output.length === 0) return 'the graph has no outputs'
  return findGraphProblem(model.graph, new Set())
}

function findGraphProblem(graph: OnnxGraph, outerNames: ReadonlySet<string>): string | null {
  const defined = new Set(outerNames)
  for (const input of graph.input ?? []) if (input.name) defined.add(input.name)
  for (const tensor of graph.initializer ?? []) {
    if (!tensor.name) return 'an initializer has no name'
    const problem = findTensorProblem(tensor)
    if (problem) return problem
    defined.add(tensor.name)
  }
  for (const sparse of graph.sparseInitializer ?? []) if (sparse.values?.name) defined.add(sparse.values.name)
  // Node order is not checked: some exporters write nodes out of order and ORT sorts them.
  for (const node of graph.node ?? []) for (const output of node.output ?? []) if (output) defined.add(output)

  for (const node of graph.node ?? []) {
    const label = node.name ? `node "${node.name}"` : `a ${node.opType ?? ''} node`
    if (!node.opType) return 'a node has no op type'
    for (const input of node.input ?? []) {
      // An empty name marks an omitted optional input.
      if (input !== '' && !defined.has(input)) return `${label} reads "${input}", which nothing defines`
    }
    for (const attribute of node.attribute ?? []) {
      for (const subgraph of [attribute.g, ...(attribute.graphs ?? [])]) {
        if (!subgraph) continue
        const problem = findGraphProblem(subgraph, defined)
        if (problem) return problem
      }
    }
  }
  for (const output of graph.output ?? []) {
    if (!output.name || !defined.has(output.name)) return `graph output "${output.name ?? ''}" is never produced`
  }
  return null
}

function findTensorProblem(tensor: OnnxTensor): string | null {
  const raw = tensor.rawData
  if (!raw || raw.length === 0) return null
  const elements = (tensor.dims ?? []).reduce<number>((n, d) => n * int64ToNumber(d), 1)
  const expected = elementBytes(tensor.dataType, elements)
  if (expected !== undefined && expected !== raw.length) {
    return `initializer "${tensor.name ?? ''}" holds ${raw.length} bytes where its shape needs ${expected}`
  }
  return null
}
