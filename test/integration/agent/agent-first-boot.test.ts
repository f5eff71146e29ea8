// First boot of a unit: the runtime is installed, no model has been pushed, /opt/edgedock/models may
// not even exist (so fs.watch cannot start). The poll must still pick up the first push.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../helpers/temp-dir'
import { ensureAgentBuilt, readDigits, startAgent, switchCurrent, writeVersion, type AgentChild } from './agent-process'

describe('edgedock agent, first boot without a models directory', () => {
  const tmp = tempDir('edgedock-agent-boot-')
  let agent: AgentChild

  beforeAll(async () => {
    ensureAgentBuilt()
    agent = await startAgent(tmp.dir, { EDGEDOCK_POLL_MS: '100', EDGEDOCK_MAX_BODY_BYTES: '8192' })
  })
  afterAll(async () => {
    await agent?.stop()
    tmp.cleanup()
  })

  it('logs that it falls back to polling, then serves the first push', async () => {
    expect(agent.lines.some((l) => l.startsWith('watch-unavailable '))).toBe(true)
    const digits = await readDigits()
    await writeVersion(tmp.dir, 'v1', digits.model)
    await switchCurrent(tmp.dir, 'v1')
    await agent.waitForLine(/^model-loaded .*version=v1/, 5000)
    // Once the directory exists the watcher is armed, so later switches do not wait for the poll.
    await agent.waitForLine(/^watch-started /, 5000)
    const res = await fetch(`${agent.url}/infer`, { method: 'POST', body: JSON.stringify({ input: digits.inputs[0] }) })
    expect(((await res.json()) as { argmax: number[] }).argmax).toEqual([digits.labels[0]])
  })

  it('answers 413 to a body over the limit instead of resetting the connection', async () => {
    const res = await fetch(`${agent.url}/infer`, { method: 'POST', body: JSON.stringify({ input: new Array(4000).fill(0.5) }) })
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('AGENT_PAYLOAD_TOO_LARGE')
  })
})
