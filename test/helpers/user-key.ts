import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'

/** A technician's own OpenSSH key pair (ssh-keygen, no passphrase), written into `dir`. */
export function makeUserKey(dir: string, name = 'id_tech'): { privateFile: string; publicKey: string } {
  const privateFile = path.join(dir, name)
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'technician@laptop', '-f', privateFile], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`ssh-keygen failed: ${r.stderr}`)
  return { privateFile, publicKey: readFileSync(`${privateFile}.pub`, 'utf8') }
}
