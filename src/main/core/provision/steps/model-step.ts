// The unit's assigned model, through the models module's installer (a port, like the runtime).
import * as z from 'zod'
import type { Text } from '../../../../shared/domain'
import { EdgeError } from '../../../../shared/errors'
import { text } from '../../../../shared/texts'
import type { ModelInstaller } from '../remote-shell'
import { defineStep, type StepEnv } from '../step-kind'

const params = z.strictObject({ model: z.string().regex(/^$|^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/, 'must be a model name from the library') })
type P = z.infer<typeof params>

function installer(env: StepEnv): ModelInstaller {
  if (!env.ports.model) throw new EdgeError('PROVISION_STEP_FAILED', 'this EdgeDock build has no model installer connected')
  return env.ports.model
}

export const modelStep = defineStep<P, { current: string | null } | { skip: Text }>({
  kind: 'model',
  params,
  title: (p) => (p.model ? text('pstep.model', { model: p.model }) : text('pstep.modelNone')),
  notifies: ['restart-inference'],
  async check(env, p) {
    if (p.model === '') return { skip: text('note.noModelAssigned') }
    return { current: await installer(env).current(env.shell, env.io.signal) }
  },
  plan(f, p) {
    if ('skip' in f) return { skip: f.skip }
    return { changes: f.current === p.model ? [] : [{ field: 'model', from: f.current, to: p.model }] }
  },
  async apply(env, p) {
    await installer(env).install(env.shell, p.model, { signal: env.io.signal, log: (t) => env.io.log('info', t) })
  }
})
