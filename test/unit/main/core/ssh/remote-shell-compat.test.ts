// The provisioning engine and the runtime installer take a RemoteShell; an SshSession must be one,
// so create-app can hand a session over without an adapter. Checked by the compiler (tsc) and here.
import { describe, expect, it } from 'vitest'
import type { RemoteShell } from '../../../../../src/main/core/provision/remote-shell'
import { SshSession } from '../../../../../src/main/core/ssh/ssh-session'
import type { SshServiceDeps } from '../../../../../src/main/core/ssh/ssh-service'
import type { HistoryRepo } from '../../../../../src/main/store/history-repo'
import type { HostKeysRepo } from '../../../../../src/main/store/host-keys-repo'

type Assignable<T, U> = [T] extends [U] ? true : false
const sessionIsRemoteShell: Assignable<SshSession, RemoteShell> = true
// create-app passes the SQLite repositories straight in.
const reposFit: [Assignable<HostKeysRepo, SshServiceDeps['hostKeys']>, Assignable<HistoryRepo, SshServiceDeps['history']>] = [true, true]

describe('SshSession as RemoteShell', () => {
  it('has the methods the engine calls', () => {
    expect(sessionIsRemoteShell).toBe(true)
    expect(reposFit).toEqual([true, true])
    for (const m of ['run', 'reconnect', 'close', 'put', 'get']) expect(typeof (SshSession.prototype as unknown as Record<string, unknown>)[m]).toBe('function')
  })
})
