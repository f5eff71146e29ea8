// The agent's HTTP contract, as the desktop reads it. Kept free of node imports so the desktop side
// can import these types too.

export interface ModelMeta {
  name: string
  version: string
  sha256: string
}

export interface LoadErrorInfo {
  /** The version `current` pointed at when loading failed (directory name when meta.json is unreadable). */
  version: string
  code: AgentErrorCode
  message: string
  at: string
}

export type HealthStatus = 'ok' | 'degraded' | 'no-model'

export interface HealthResponse {
  /** ok: serving what `current` points at; degraded: serving an older version because the one
   *  `current` points at failed to load (see lastLoadError); no-model: nothing loaded yet. */
  status: HealthStatus
  model: ModelMeta | null
  /** Version directory `current` points at right now (basename), null when there is no link. */
  currentTarget: string | null
  lastLoadError: LoadErrorInfo | null
  uptimeS: number
  runtime: { agent: string; node: string; onnxruntime: string; arch: string }
}

/** POST /infer with `content-type: application/json`. The same endpoint also takes a raw body of
 *  little-endian float32 (`application/octet-stream`) with the dims in `?dims=1,3,224,224`. */
export interface InferRequest {
  /** One sample (flat) or a batch (one flat row per sample). */
  input: number[] | number[][]
  /** Full input dims; when absent the batch dim is the number of rows and the rest comes from the model. */
  dims?: number[]
}

export interface InferResponse {
  /** The model's first output, flattened row-major. */
  output: number[]
  dims: number[]
  /** Index of the largest value of each batch row (one entry per sample). */
  argmax: number[]
  latencyMs: number
  model: { version: string }
}

export type AgentErrorCode =
  | 'AGENT_NO_MODEL'
  | 'AGENT_BAD_REQUEST'
  | 'AGENT_PAYLOAD_TOO_LARGE'
  | 'AGENT_NOT_FOUND'
  | 'AGENT_RUN_FAILED'
  | 'AGENT_MODEL_META_INVALID'
  | 'AGENT_MODEL_SHA256_MISMATCH'
  | 'AGENT_MODEL_LOAD_FAILED'
  | 'AGENT_SHUTTING_DOWN'

export interface AgentErrorBody {
  error: { code: AgentErrorCode; message: string }
}

// The bench result is read by the desktop too, so its types live in shared/bench-result.ts.
export type {
  BenchAccuracy,
  BenchCpu,
  BenchEnvironment,
  BenchMemory,
  BenchMonitor,
  BenchMonitorSample,
  BenchPhaseTimes,
  BenchPreset,
  BenchProfile,
  BenchProfileEntry,
  BenchResult,
  BenchSettings,
  BenchStats,
  BenchThermalZone,
  NotAvailable
} from '../shared/bench-result'
