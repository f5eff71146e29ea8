// A step kind: check (read the facts) -> plan (the diff) -> apply -> verify. Check and plan never
// change the unit, which is what makes a dry run safe; verify re-checks after apply, so a step that
// "succeeded" but left the unit different from the plan fails instead of lying.
import type * as z from 'zod'
import type { Text } from '../../../shared/domain'
import type { Change } from './provision-types'
import type { ModelInstaller, RemoteShell, RuntimeInstaller } from './remote-shell'
import type { StepIo } from './step-io'

export type HandlerName = 'reload-ssh' | 'restart-inference'

export interface StepEnv {
  io: StepIo
  shell: RemoteShell
  dryRun: boolean
  ports: { runtime?: RuntimeInstaller | undefined; model?: ModelInstaller | undefined }
  /** EdgeDock's public key(s): authorized_keys lines (SshService.authorizedKeys()). */
  publicKey?: string | readonly string[] | undefined
  /** Titles of the steps before this one that changed (or would) something only a reboot applies. */
  rebootNeededBy: string[]
  sleep(ms: number, signal: AbortSignal): Promise<void>
  now(): number
}

/**
 * `note`: what a step with nothing to change found (a health check's verdict), for the report. Notes,
 * skips and titles may be a Text (src/shared/texts) so the UI words them in its language; the report
 * keeps the English too, for the CLI.
 */
export type Plan = { changes: Change[]; note?: string | Text } | { skip: string | Text }

export interface StepKind<P = unknown, F = unknown> {
  kind: string
  params: z.ZodType<P>
  title(p: P): string | Text
  check(env: StepEnv, p: P): Promise<F>
  plan(facts: F, p: P, env: StepEnv): Plan
  apply(env: StepEnv, p: P, facts: F): Promise<void>
  /** Defaults to: check again and expect an empty plan. */
  verify?(env: StepEnv, p: P, facts: F): Promise<void>
  notifies?: readonly HandlerName[]
  /** Runs after the handlers (a health check must see the restarted service). */
  final?: boolean
  /** Runs pending handlers before apply (a reboot must not lose a pending sshd reload). */
  flushHandlersFirst?: boolean
  /** Shown instead of running the step in a dry run (a health check of a unit not yet set up). */
  dryRunNote?: string | Text
  /**
   * A change this step makes takes full effect only after a reboot, so a `reboot` step with
   * `when: changed` after it reboots. Today only `hostname`: hostnamectl renames the running system,
   * but daemons that read the name once at start (avahi's mDNS name, the DHCP client's host name
   * option, journald's field, rsyslog) keep the old one until they restart, and the reboot proves the
   * name persists. The other kinds apply at once or through a handler: time zone (timedated), locale
   * (read at the next login; the inference service does not depend on it), Wi-Fi (NetworkManager
   * activates a new connection at once and reads a modified one at its next activation, which a
   * reboot would force but cannot verify), sshd (reloaded), runtime and model (the service is
   * restarted), CPU governor (sysfs, and a reboot would reset it). No kind writes the boot config
   * (config.txt, cmdline.txt) or installs a kernel or firmware; one that does must set this.
   */
  needsReboot?: boolean
  /**
   * Parameters that name a file on this computer (a benchmark's labelled sample set): a relative
   * path is taken from the profile's own folder, as a person reading the profile would expect.
   */
  pathParams?: readonly string[]
}

/** Loses the parameter types so kinds can live in one registry; the runner parses params first. */
export function defineStep<P, F>(kind: StepKind<P, F>): StepKind {
  return kind as unknown as StepKind
}
