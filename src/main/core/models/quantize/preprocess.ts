// What quant_pre_process does before quantizing, in the cases that matter for exported CNNs: Constant
// nodes become initializers (so Clip bounds and biases can be read), Identity nodes go (exporters use
// them to share bias tensors, and a Q/DQ pair cannot sit on a tensor that is only an alias), and a
// BatchNormalization after a Conv folds into the Conv's weights (one quantized op instead of two).
import { attrFloat, dimsOf, FLOAT, floatValues, tensorOf, type Attr, type WorkGraph } from './graph'

export interface PreprocessCounts { constantsFolded: number; identitiesRemoved: number; batchNormsFolded: number }

export function preprocess(g: WorkGraph): PreprocessCounts {
  const counts = { constantsFolded: 0, identitiesRemoved: 0, batchNormsFolded: 0 }
  const outputs = g.outputNames()
  for (const node of [...g.nodes]) {
    if (node.opType !== 'Constant') continue
    const value = (node.attribute as Attr[] | undefined)?.find((a) => a.name === 'value')?.t
    const out = node.output?.[0]
    if (!value || !out || outputs.has(out)) continue
    g.addInit({ ...value, name: out })
    g.nodes = g.nodes.filter((n) => n !== node)
    counts.constantsFolded += 1
  }
  for (const node of [...g.nodes]) {
    if (node.opType !== 'Identity') continue
    const [input] = node.input ?? []
    const [out] = node.output ?? []
    if (!input || !out || outputs.has(out)) continue
    g.nodes = g.nodes.filter((n) => n !== node)
    g.renameEverywhere(out, input)
    counts.identitiesRemoved += 1
  }
  for (const bn of [...g.nodes]) {
    if (bn.opType === 'BatchNormalization' && foldBatchNorm(g, bn)) counts.batchNormsFolded += 1
  }
  return counts
}

function foldBatchNorm(g: WorkGraph, bn: NonNullable<WorkGraph['nodes'][number]>): boolean {
  const [x, scaleName, biasName, meanName, varName] = bn.input ?? []
  const conv = x ? g.producer(x) : undefined
  if (!conv || conv.opType !== 'Conv' || !x || g.consumers(x).length !== 1 || g.outputNames().has(x) || (bn.output?.length ?? 0) > 1) return false
  const read = (name: string | undefined) => (name ? (g.inits.get(name) ? floatValues(g.inits.get(name)!) : null) : null)
  const [gamma, beta, mean, variance, weight] = [read(scaleName), read(biasName), read(meanName), read(varName), read(conv.input?.[1])]
  const weightTensor = g.inits.get(conv.input?.[1] ?? '')
  if (!gamma || !beta || !mean || !variance || !weight || !weightTensor) return false
  const channels = gamma.length
  const bias = read(conv.input?.[2]) ?? new Float32Array(channels)
  const epsilon = attrFloat(bn, 'epsilon', 1e-5)
  const perChannel = weight.length / channels
  const w = new Float32Array(weight.length)
  const b = new Float32Array(channels)
  for (let c = 0; c < channels; c++) {
    const s = gamma[c]! / Math.sqrt(variance[c]! + epsilon)
    for (let k = 0; k < perChannel; k++) w[c * perChannel + k] = weight[c * perChannel + k]! * s
    b[c] = (bias[c]! - mean[c]!) * s + beta[c]!
  }
  const wName = g.addInit(tensorOf(g.unique(`${weightTensor.name ?? 'W'}_bn`), FLOAT, dimsOf(weightTensor), w))
  const bName = g.addInit(tensorOf(g.unique(`${weightTensor.name ?? 'W'}_bn_bias`), FLOAT, [channels], b))
  conv.input = [conv.input?.[0] ?? '', wName, bName]
  conv.output = [bn.output?.[0] ?? x]
  g.nodes = g.nodes.filter((n) => n !== bn)
  return true
}
