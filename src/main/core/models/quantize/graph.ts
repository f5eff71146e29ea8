// A mutable view over a decoded ONNX graph: the passes (pre-processing, QDQ insertion) rewrite node
// inputs/outputs by name, so they need initializer lookup, fresh names and a final topological order.
import type { OnnxAttribute, OnnxGraph, OnnxModel, OnnxNode, OnnxTensor } from '../onnx-schema'
import { int64ToNumber } from '../onnx-schema'

export interface Attr { name?: string; i?: unknown; f?: number; ints?: unknown[]; t?: OnnxTensor; type?: number }

export const FLOAT = 1
export const UINT8 = 2
export const INT8 = 3
export const INT32 = 6

export function attrInt(node: OnnxNode, name: string, fallback: number): number {
  const a = (node.attribute as Attr[] | undefined)?.find((x) => x.name === name)
  return a ? int64ToNumber(a.i as number) : fallback
}

export function attrFloat(node: OnnxNode, name: string, fallback: number): number {
  const a = (node.attribute as Attr[] | undefined)?.find((x) => x.name === name)
  return a?.f ?? fallback
}

/** The schema's attribute type only names what parsing reads; int attributes are written too. */
export const intAttr = (name: string, i: number): OnnxAttribute => ({ name, i, type: 2 }) as OnnxAttribute

export const dimsOf = (t: OnnxTensor): number[] => (t.dims ?? []).map((d) => int64ToNumber(d))

/** Copies (new Uint8Array, not Buffer#slice, which is another view): rawData is a view into the
 *  file buffer and may not be 4-byte aligned. */
export function floatValues(t: OnnxTensor): Float32Array | null {
  if (t.dataType !== FLOAT || !t.rawData) return null
  return new Float32Array(new Uint8Array(t.rawData).buffer)
}

export function tensorOf(name: string, dataType: number, dims: number[], data: Float32Array | Int8Array | Uint8Array | Int32Array): OnnxTensor {
  return { name, dataType, dims, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
}

export class WorkGraph {
  readonly inits = new Map<string, OnnxTensor>()
  private readonly names = new Set<string>()

  constructor(readonly model: OnnxModel) {
    const graph = model.graph as OnnxGraph
    for (const t of graph.initializer ?? []) this.inits.set(t.name ?? '', t)
    for (const n of graph.node ?? []) for (const x of [...(n.input ?? []), ...(n.output ?? [])]) this.names.add(x)
    for (const x of this.inits.keys()) this.names.add(x)
  }

  get graph(): OnnxGraph { return this.model.graph as OnnxGraph }
  get nodes(): OnnxNode[] { return (this.graph.node ??= []) }
  set nodes(value: OnnxNode[]) { this.graph.node = value }
  outputNames(): Set<string> { return new Set((this.graph.output ?? []).map((o) => o.name ?? '')) }

  unique(base: string): string {
    let name = base
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`
    this.names.add(name)
    return name
  }

  addInit(t: OnnxTensor): string {
    this.inits.set(t.name ?? '', t)
    this.names.add(t.name ?? '')
    return t.name ?? ''
  }

  producer(name: string): OnnxNode | undefined {
    return this.nodes.find((n) => n.output?.includes(name))
  }

  consumers(name: string): OnnxNode[] {
    return this.nodes.filter((n) => n.input?.includes(name))
  }

  renameEverywhere(from: string, to: string): void {
    for (const n of this.nodes) {
      n.input = (n.input ?? []).map((x) => (x === from ? to : x))
      n.output = (n.output ?? []).map((x) => (x === from ? to : x))
    }
  }

  /** Writes the initializer table back, dropping what no node reads any more, in dependency order. */
  finish(): OnnxModel {
    const used = new Set(this.nodes.flatMap((n) => n.input ?? []))
    this.graph.initializer = [...this.inits.values()].filter((t) => used.has(t.name ?? ''))
    const ready = new Set<string>([...this.inits.keys(), ...(this.graph.input ?? []).map((i) => i.name ?? ''), ''])
    const pending = [...this.nodes]
    const sorted: OnnxNode[] = []
    while (pending.length > 0) {
      const i = pending.findIndex((n) => (n.input ?? []).every((x) => ready.has(x)))
      // A cycle or a dangling input: keep the rest in their order and let ORT report it.
      const [node] = pending.splice(i < 0 ? 0 : i, 1)
      if (!node) break
      sorted.push(node)
      for (const o of node.output ?? []) ready.add(o)
    }
    this.nodes = sorted
    return this.model
  }
}
