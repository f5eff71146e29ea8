// The part of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto, proto2, IR version 10) that EdgeDock
// reads, as a protobufjs JSON descriptor. Field numbers are the ones in onnx.proto; fields we never
// read are left out on purpose: protobufjs skips unknown fields without materialising them, so the
// repeated float_data/int32_data/... of a large tensor never become JS arrays (bytes fields such as
// raw_data are views into the file buffer, not copies).
import type protobuf from 'protobufjs'
import { lazyPackage } from '../lazy-package'

const protobufjs = lazyPackage<typeof protobuf>('protobufjs')

const descriptor = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            modelVersion: { type: 'int64', id: 5 },
            docString: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 }
          }
        },
        OperatorSetIdProto: {
          fields: {
            domain: { type: 'string', id: 1 },
            version: { type: 'int64', id: 2 }
          }
        },
        StringStringEntryProto: {
          fields: {
            key: { type: 'string', id: 1 },
            value: { type: 'string', id: 2 }
          }
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
            sparseInitializer: { rule: 'repeated', type: 'SparseTensorProto', id: 15 }
          }
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            domain: { type: 'string', id: 7 }
          }
        },
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            // Subgraphs of If/Loop/Scan: their nodes count in the op histogram and the precision.
            g: { type: 'GraphProto', id: 6 },
            floats: { rule: 'repeated', type: 'float', id: 7 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            graphs: { rule: 'repeated', type: 'GraphProto', id: 11 },
            type: { type: 'int32', id: 20 }
          }
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
            externalData: { rule: 'repeated', type: 'StringStringEntryProto', id: 13 },
            dataLocation: { type: 'int32', id: 14 }
          }
        },
        SparseTensorProto: {
          fields: {
            values: { type: 'TensorProto', id: 1 },
            indices: { type: 'TensorProto', id: 2 },
            dims: { rule: 'repeated', type: 'int64', id: 3 }
          }
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 }
          }
        },
        TypeProto: {
          fields: {
            tensorType: { type: 'TypeProtoTensor', id: 1 }
          }
        },
        TypeProtoTensor: {
          fields: {
            elemType: { type: 'int32', id: 1 },
            shape: { type: 'TensorShapeProto', id: 2 }
          }
        },
        TensorShapeProto: {
          fields: {
            dim: { rule: 'repeated', type: 'TensorShapeDimension', id: 1 }
          }
        },
        TensorShapeDimension: {
          fields: {
            dimValue: { type: 'int64', id: 1 },
            dimParam: { type: 'string', id: 2 }
          }
        }
      }
    }
  }
}

let modelType: protobuf.Type | undefined
/** The ONNX ModelProto type, built on first use (protobufjs is heavy to load at start-up). */
export const modelProto = (): protobuf.Type => (modelType ??= protobufjs().Root.fromJSON(descriptor).lookupType('onnx.ModelProto'))

/** protobufjs gives int64 as a Long object (or a number when Long is absent). */
export type Int64 = number | { toNumber(): number }

export interface OnnxDimension { dimValue?: Int64; dimParam?: string }
export interface OnnxValueInfo {
  name?: string
  type?: { tensorType?: { elemType?: number; shape?: { dim?: OnnxDimension[] } } }
}
export interface OnnxTensor {
  dims?: Int64[]
  dataType?: number
  name?: string
  rawData?: Uint8Array
  externalData?: { key?: string; value?: string }[]
  dataLocation?: number
}
export interface OnnxAttribute { name?: string; t?: OnnxTensor; g?: OnnxGraph; graphs?: OnnxGraph[] }
export interface OnnxNode {
  input?: string[]
  output?: string[]
  name?: string
  opType?: string
  domain?: string
  attribute?: OnnxAttribute[]
}
export interface OnnxGraph {
  node?: OnnxNode[]
  name?: string
  initializer?: OnnxTensor[]
  sparseInitializer?: { values?: OnnxTensor; indices?: OnnxTensor; dims?: Int64[] }[]
  input?: OnnxValueInfo[]
  output?: OnnxValueInfo[]
}
export interface OnnxModel {
  irVersion?: Int64
  producerName?: string
  producerVersion?: string
  domain?: string
  modelVersion?: Int64
  docString?: string
  graph?: OnnxGraph
  opsetImport?: { domain?: string; version?: Int64 }[]
  metadataProps?: { key?: string; value?: string }[]
}

export function int64ToNumber(value: Int64 | undefined | null): number {
  if (value === undefined || value === null) return 0
  return typeof value === 'number' ? value : value.toNumber()
}
