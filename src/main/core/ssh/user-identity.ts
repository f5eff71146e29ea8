// A technician's own private key for first contact (`--identity FILE`): units imaged with the team's
// key instead of a password. The key text is checked here, before any job starts, so a wrong file or
// a passphrase-protected key without its passphrase is a plain error on the form, not a failed login.
// The text itself is a secret: it is never put into an error, a log line or a job record.
import type ssh2Module from 'ssh2'
import { EdgeError } from '../../../shared/errors'
import { lazyPackage } from '../lazy-package'

const ssh2 = lazyPackage<typeof ssh2Module>('ssh2')

export interface UserIdentity {
  privateKey: string
  passphrase?: string | undefined
}

/** Throws IDENTITY_KEY_INVALID, naming `source` (a file name, never the key), if ssh2 cannot use it. */
export function checkUserIdentity(identity: UserIdentity, source = 'the identity key'): void {
  const parsed = ssh2().utils.parseKey(identity.privateKey, identity.passphrase)
  const key = Array.isArray(parsed) ? parsed[0] : parsed
  if (key instanceof Error || !key) {
    const why = key instanceof Error ? key.message : ''
    if (/encrypted/i.test(why) && /no passphrase/i.test(why)) {
      throw new EdgeError('IDENTITY_KEY_INVALID', `${source} is protected by a passphrase: give it with --passphrase-env VAR (the name of an environment variable holding it)`)
    }
    if (/decrypt|bad passphrase|integrity check/i.test(why) || (identity.passphrase && /encrypted/i.test(why))) {
      throw new EdgeError('IDENTITY_KEY_INVALID', `the passphrase does not unlock ${source}`)
    }
    throw new EdgeError('IDENTITY_KEY_INVALID', `${source} is not a private key EdgeDock can read (OpenSSH or PEM format)`)
  }
  if (!key.isPrivateKey()) throw new EdgeError('IDENTITY_KEY_INVALID', `${source} holds a public key; give the private key file (without .pub)`)
}

/** Every line of the key text, for JobContext.secret: a partial echo (a stray error) stays hidden too. */
export function identitySecrets(identity: UserIdentity): string[] {
  const lines = identity.privateKey.split(/\r?\n/).filter((l) => l.length >= 16 && !/^-----/.test(l))
  return [identity.privateKey, ...lines, ...(identity.passphrase ? [identity.passphrase] : [])]
}
