// EdgeDock's public key in the login user's authorized_keys, so key login works before password
// login is switched off (profiles put this step before ssh-password-off).
import * as z from 'zod'
import { EdgeError } from '../../../../shared/errors'
import { text } from '../../../../shared/texts'
import { defineStep } from '../step-kind'
import { installFile, readFile } from '../step-io'

const params = z.strictObject({})
type P = z.infer<typeof params>

export const PUBLIC_KEY_RE = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(?:256|384|521)) ([A-Za-z0-9+/]+={0,3})(?: ([\x21-\x7e ]{0,100}))?$/

/** Keys compare by type and blob: the comment may differ between copies. */
const keyId = (line: string) => {
  const m = /(?:^|\s)((?:ssh-|ecdsa-)\S+) ([A-Za-z0-9+/]+={0,3})(?:\s|$)/.exec(line)
  return m ? `${m[1]} ${m[2]}` : null
}

/** EdgeDock's keys (the desktop app and the CLI/station each have one); every one must be there. */
function publicKeysOf(env: { publicKey?: string | readonly string[] | undefined }): string[] {
  const keys = (typeof env.publicKey === 'string' ? [env.publicKey] : [...(env.publicKey ?? [])]).map((k) => k.trim())
  if (keys.length === 0 || !keys.every((k) => PUBLIC_KEY_RE.test(k))) throw new EdgeError('PROVISION_STEP_FAILED', 'EdgeDock has no valid public key to install')
  return keys
}

const missing = (keys: readonly string[], authorized: string | null) => {
  const present = new Set((authorized ?? '').split('\n').map(keyId))
  return keys.filter((k) => !present.has(keyId(k)))
}

const short = (key: string) => {
  const [type, blob = '', comment = ''] = key.split(' ')
  return `${type} …${blob.slice(-12)}${comment ? ` ${comment}` : ''}`
}

export const authorizedKeyStep = defineStep<P, { keys: string | null }>({
  kind: 'authorized-key',
  params,
  title: () => text('pstep.authorizedKey'),
  async check(env) {
    publicKeysOf(env)
    // Relative to the login user's home: an SSH command starts there.
    return { keys: await readFile(env.io, '.ssh/authorized_keys') }
  },
  plan(f, _p, env) {
    return { changes: missing(publicKeysOf(env), f.keys).map((k) => ({ field: '~/.ssh/authorized_keys', from: null, to: short(k) })) }
  },
  async apply(env, _p, f) {
    const add = missing(publicKeysOf(env), f.keys)
    const before = f.keys ?? ''
    await env.io.must(['mkdir', '-p', '-m', '700', '.ssh'], 'Could not create ~/.ssh')
    const content = `${before}${before && !before.endsWith('\n') ? '\n' : ''}${add.map((k) => `${k}\n`).join('')}`
    await installFile(env.io, '.ssh/authorized_keys', content, '600', { sudo: false })
  }
})
