// `edgedock host-key repin <target> --fingerprint SHA256:…`: the explicit re-pin after a unit's SSH
// host key changed (reflash, regenerated keys). The fingerprint is the one the failed job showed and
// the technician checked on the unit; if the unit offers another, nothing is pinned.
import type { Command } from 'commander'
import type { CliContext } from './cli-context'

export function registerHostKeyCommands(program: Command, c: CliContext): void {
  const hostKey = program.command('host-key').description('SSH host keys EdgeDock pinned at first contact')
  hostKey
    .command('repin <target>')
    .description('trust the key a unit offers now (device name or user@host[:port]); recorded in history')
    .requiredOption('--fingerprint <SHA256:…>', 'the new fingerprint, as shown by the failed job and checked on the unit')
    .action(async (target: string, o: { fingerprint: string }) => {
      const r = await c.call('hostKeys.repin', { target, fingerprint: o.fingerprint })
      c.print(r, () =>
        r.previous
          ? `Re-pinned ${target}: was ${r.previous.algorithm} ${r.previous.fingerprint}, now ${r.current.algorithm} ${r.current.fingerprint}`
          : `Pinned ${target}: ${r.current.algorithm} ${r.current.fingerprint}`
      )
    })
}
