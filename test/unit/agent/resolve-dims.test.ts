import { describe, expect, it } from 'vitest'
import { argmaxPerRow, flattenInput, resolveDims } from '../../../src/agent/resolve-dims'
import { formatLogLine } from '../../../src/agent/log'
import { AgentMetrics } from '../../../src/agent/metrics'
import { parseArgs } from '../../../src/agent/config'

describe('resolveDims', () => {
  it('fills the batch dim from the rows and checks the rest', () => {
    expect(resolveDims(['N', 1, 8, 8], 64, null, null)).toEqual([1, 1, 8, 8])
    expect(resolveDims(['N', 1, 8, 8], 128, 2, null)).toEqual([2, 1, 8, 8])
    expect(resolveDims(['N', 'L'], 12, null, null)).toEqual([1, 12])
    expect(resolveDims(null, 5, null, null)).toEqual([5])
    expect(resolveDims(['N', 1, 8, 8], 64, null, [1, 1, 8, 8])).toEqual([1, 1, 8, 8])
  })

  it('rejects data that cannot fill the input with a 400', () => {
    expect(() => resolveDims(['N', 1, 8, 8], 63, null, null)).toThrow(expect.objectContaining({ code: 'AGENT_BAD_REQUEST', httpStatus: 400 }))
    expect(() => resolveDims(['N', 'H', 'W'], 64, null, null)).toThrow(/several free dims/)
    expect(() => resolveDims(['N', 4], 8, null, [3, 3])).toThrow(/need 9 values/)
  })
})

describe('flattenInput', () => {
  it('accepts one sample or a batch of equal rows', () => {
    expect(flattenInput({ input: [1, 2] })).toEqual({ data: [1, 2], rows: null, dims: null })
    expect(flattenInput({ input: [[1, 2], [3, 4]], dims: [2, 2] })).toEqual({ data: [1, 2, 3, 4], rows: 2, dims: [2, 2] })
  })

  it('refuses everything else', () => {
    for (const body of [null, 3, {}, { input: [] }, { input: ['a'] }, { input: [[1], [1, 2]] }, { input: [1, null] }, { input: [1], dims: [-1] }, { input: [Infinity] }]) {
      expect(() => flattenInput(body)).toThrow(expect.objectContaining({ code: 'AGENT_BAD_REQUEST' }))
    }
  })
})

describe('argmaxPerRow', () => {
  it('gives one class per batch row', () => {
    expect(argmaxPerRow([0, 3, 1, 9, 2, 1], [2, 3])).toEqual([1, 0])
    expect(argmaxPerRow([0.1, 0.2], [2])).toEqual([1])
  })
})

describe('log lines and metrics', () => {
  it('writes one logfmt line per event, quoting what needs it', () => {
    expect(formatLogLine('model-loaded', { version: 'v1', ms: 12, previous: undefined })).toBe('model-loaded version=v1 ms=12')
    expect(formatLogLine('model-load-failed', { message: 'bad file\nline two' })).toBe('model-load-failed message="bad file\\nline two"')
  })

  it('renders Prometheus text with bounded route labels', () => {
    const m = new AgentMetrics()
    m.countRequest('/infer', 200)
    m.countRequest('/wp-admin', 404)
    m.observeLatency(0.003)
    const text = m.render({ name: 'd"x', version: 'v1', sha256: 'ab' }, 5, 1000)
    expect(text).toContain('edgedock_http_requests_total{route="/infer",status="200"} 1')
    expect(text).toContain('edgedock_http_requests_total{route="other",status="404"} 1')
    expect(text).toContain('edgedock_inference_duration_seconds_bucket{le="0.0025"} 0')
    expect(text).toContain('edgedock_inference_duration_seconds_bucket{le="0.005"} 1')
    expect(text).toContain('edgedock_model_info{name="d\\"x",version="v1",sha256="ab"} 1')
  })

  it('parses flags the way the unit and the desktop pass them', () => {
    expect(parseArgs(['bench', '--model', 'x.onnx', '--runs=5', '--verbose'])).toEqual({ positional: ['bench'], flags: { model: 'x.onnx', runs: '5', verbose: true } })
  })
})
