import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract'
import type { EdgeDockApp } from '../app/create-app'

/** What every CLI command module gets: typed calls through the shared dispatch, and output helpers. */
export interface CliContext {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>
  app(): EdgeDockApp
  print(value: unknown, human: () => string): void
  err(text: string): void
  readonly json: boolean
}
