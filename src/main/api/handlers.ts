// The shape every contract area's handler module fills in; `satisfies` checks each against the contract.
import type { MethodName, MethodOutput, ParsedInput } from '../../shared/contract'

export interface CallContext {
  transport: 'electron' | 'station' | 'cli'
}

export type Handler<M extends MethodName> = (input: ParsedInput<M>, ctx: CallContext) => Promise<MethodOutput<M>> | MethodOutput<M>
export type Handlers = { [M in MethodName]: Handler<M> }
export type HandlersFor<P extends string> = { [M in MethodName as M extends `${P}.${string}` ? M : never]: Handler<M> }
