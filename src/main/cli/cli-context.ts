import type { EventName, MethodInput, MethodName, MethodOutput } from '../../shared/contract'

export type EventListener = (event: EventName, payload: unknown) => void

/**
 * What every CLI command module gets: typed calls through the shared dispatch, the contract's
 * events, and output helpers. Nothing else: the CLI is one more client of the contract.
 */
export interface CliContext {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>
  subscribe(listener: EventListener): Promise<() => void>
  print(value: unknown, human: () => string): void
  err(text: string): void
  readonly json: boolean
}
