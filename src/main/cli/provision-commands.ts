// `edgedock provision <target>... --profile NAME|FILE [--var k=v]... [--vars-csv F] [--dry-run] ...`
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { EdgeError } from '../../shared/errors'
import type { FleetResult } from '../core/provision'
import type { CliContext } from './cli-context'
import { followJob } from './follow-job'

const collect = (v: string, all: string[]) => [...all, v]

/** The key file's text (a secret from here on) and its passphrase, checked here to name the file. */
async function readIdentity(file: string, passphraseEnv: string | undefined): Promise<{ privateKey: string; passphrase?: string }> {
  const passphrase = passphraseEnv ? process.env[passphraseEnv] : undefined
  if (passphraseEnv && !passphrase) throw new EdgeError('INVALID_INPUT', `the environment variable ${passphraseEnv} is empty`)
  let privateKey: string
  try {
    privateKey = readFileSync(file, 'utf8')
  } catch (err) {
    throw new EdgeError('IDENTITY_KEY_INVALID', `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`)
  }
  const identity = { privateKey, ...(passphrase ? { passphrase } : {}) }
  // ssh2 parses the key; it loads here rather than at every CLI start.
  const { checkUserIdentity } = await import('../core/ssh/user-identity')
  checkUserIdentity(identity, file)
  return identity
}

export function registerProvisionCommands(program: Command, c: CliContext): void {
  program
    .command('provision [targets...]')
    .description('configure units with a profile (door-access-unit, bench-node, or a YAML file); --dry-run shows the diff only')
    .requiredOption('--profile <name|file>', 'a built-in profile name or a .yaml file')
    .option('--var <k=v>', 'a profile variable (repeatable)', collect, [])
    .option('--vars-csv <file>', 'a site plan: one row per unit (target or device column, plus variables)')
    .option('--dry-run', 'show what would change on each unit, change nothing')
    .option('--concurrency <n>', 'units at once', '4')
    .option('--max-fail <n>', 'stop starting new units after this many failures')
    .option('--password-env <VAR>', 'first contact: the units\' current password, from this environment variable')
    .option('--identity <file>', 'first contact: your own private key file (e.g. ~/.ssh/id_ed25519), tried before the password')
    .option('--passphrase-env <VAR>', 'the --identity key\'s passphrase, from this environment variable')
    .action(async (targets: string[], o: { profile: string; var: string[]; varsCsv?: string; dryRun?: boolean; concurrency: string; maxFail?: string; passwordEnv?: string; identity?: string; passphraseEnv?: string }) => {
      // The provisioning code (profile schemas in zod, YAML, CSV) loads only when provisioning.
      const { formatFleetResult, parseVarArgs } = await import('../core/provision')
      const password = o.passwordEnv ? process.env[o.passwordEnv] : undefined
      if (o.passwordEnv && !password) throw new EdgeError('INVALID_INPUT', `the environment variable ${o.passwordEnv} is empty`)
      const identity = o.identity ? await readIdentity(o.identity, o.passphraseEnv) : undefined
      const profile = /\.ya?ml$/i.test(o.profile) ? path.resolve(o.profile) : o.profile
      const { jobId } = await c.call('provision.run', {
        targets,
        profile,
        vars: parseVarArgs(o.var),
        sitePlanCsv: o.varsCsv ? readFileSync(o.varsCsv, 'utf8') : undefined,
        dryRun: o.dryRun === true,
        concurrency: Number(o.concurrency),
        maxFail: o.maxFail !== undefined ? Number(o.maxFail) : undefined,
        password,
        identity
      })
      const job = await followJob(c, jobId, c.json ? null : c.err)
      const result = job.result as FleetResult | null
      if (result) c.print(result, () => formatFleetResult(result))
      else c.print({ job }, () => `Provisioning ${job.state}: ${job.error?.message ?? ''}`)
      if (job.state !== 'succeeded') process.exitCode = 1
    })
}
