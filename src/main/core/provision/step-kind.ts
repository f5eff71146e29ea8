// A step kind: check (read the facts) -> plan (the diff) -> apply -> verify. Check and plan never
// change the unit, which is what makes a dry run safe; verify re-checks after apply, so a step that
// "succeeded" but left the unit different from the plan fails instead of lying.
import type { z } from 'zod'
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
  /** Fields changed (or planned, in a dry run) by the steps before this one. */
  changesSoFar: number
  sleep(ms: number, signal: AbortSignal): Promise<void>
  now(): number
}

export type Plan = { changes: Change[] } | { skip: string }

export interface StepKind<P = unknown, F = unknown> {
  kind: string
  params: z.ZodType<P>
  title(p: P): string
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
  dryRunNote?: string
}

/** Loses the parameter types so kinds can live in one registry; the runner parses params first. */
export function defineStep<P, F>(kind: StepKind<P, F>): StepKind {
  return kind as unknown as StepKind
}
