// The device layout: <root>/models/<version>/{model.onnx, meta.json} and <root>/models/current, a
// symlink to one version directory that the push switches atomically (ln -s tmp && mv -T).
import { createHash } from 'node:crypto'
import { readFile, readlink, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { AgentError, errorText } from './agent-error'
import { META_FILE, MODEL_FILE, VERIFIED_FILE } from '../shared/model-dir-files'
import type { ModelMeta } from './protocol'

export const CURRENT_LINK = 'current'
export { META_FILE, MODEL_FILE }
/** How long after a push's sha256 check loading the version trusts it (see checkedJustNow). */
export const VERIFIED_FRESH_MS = 10 * 60_000

/** The version directory `current` resolves to, or null when the link does not exist (yet). */
export async function resolveCurrent(modelsDir: string): Promise<string | null> {
  const link = path.join(modelsDir, CURRENT_LINK)
  try {
    await readlink(link)
  } catch {
    return null
  }
  try {
    return await realpath(link)
  } catch {
    // A dangling link: report the directory it names so the error says which version is missing.
    return path.resolve(modelsDir, await readlink(link))
  }
}

function isHex64(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value)
}

export function parseMeta(text: string, dirName: string): ModelMeta {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (err) {
    throw new AgentError('AGENT_MODEL_META_INVALID', `${dirName}/${META_FILE} is not JSON: ${errorText(err)}`)
  }
  const m = json as Partial<Record<keyof ModelMeta, unknown>> | null
  if (typeof m !== 'object' || m === null || typeof m.name !== 'string' || typeof m.version !== 'string' || !isHex64(m.sha256)) {
    throw new AgentError('AGENT_MODEL_META_INVALID', `${dirName}/${META_FILE} must be {name, version, sha256 (64 hex digits)}`)
  }
  return { name: m.name, version: m.version, sha256: m.sha256 }
}

export interface ModelFiles {
  dir: string
  meta: ModelMeta
  bytes: Uint8Array
  /** Who matched the bytes to meta.json's sha256: this load, or the push moments ago. */
  checked: 'load' | 'push'
}

/** Reads meta.json and model.onnx and checks the model against its sha256 (unless a push just did),
 *  so a file cut short or damaged on the card is refused here rather than half-loaded by ONNX Runtime. */
export async function readModelDir(dir: string): Promise<ModelFiles> {
  const dirName = path.basename(dir)
  let metaText: string
  try {
    metaText = await readFile(path.join(dir, META_FILE), 'utf8')
  } catch (err) {
    throw new AgentError('AGENT_MODEL_META_INVALID', `cannot read ${dirName}/${META_FILE}: ${errorText(err)}`)
  }
  const meta = parseMeta(metaText, dirName)
  let bytes: Buffer
  try {
    bytes = await readFile(path.join(dir, MODEL_FILE))
  } catch (err) {
    throw new AgentError('AGENT_MODEL_LOAD_FAILED', `cannot read ${dirName}/${MODEL_FILE}: ${errorText(err)}`)
  }
  if (await checkedJustNow(dir)) return { dir, meta, bytes, checked: 'push' }
  const actual = createHash('sha256').update(bytes).digest('hex')
  if (actual !== meta.sha256) {
    throw new AgentError('AGENT_MODEL_SHA256_MISMATCH', `${dirName}/${MODEL_FILE} has sha256 ${actual}, meta.json says ${meta.sha256}`)
  }
  return { dir, meta, bytes, checked: 'load' }
}

/**
 * True when a push checked this version's file against its sha256 on the unit moments ago: it
 * writes `verified` right after sha256sum passed, before fsync and the rename that makes the version
 * visible. Hashing the file again at load would double the check (4 s for a 45 MB model on a slow
 * board). Only a fresh stamp counts and only for a file not modified since, so a version loaded at
 * boot or long after its push is hashed as before.
 */
async function checkedJustNow(dir: string, now = Date.now()): Promise<boolean> {
  try {
    const [stamp, model] = await Promise.all([stat(path.join(dir, VERIFIED_FILE)), stat(path.join(dir, MODEL_FILE))])
    const age = now - stamp.mtimeMs
    return model.mtimeMs <= stamp.mtimeMs && age >= 0 && age < VERIFIED_FRESH_MS
  } catch {
    return false
  }
}
