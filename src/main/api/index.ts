// All handlers, merged; `satisfies Handlers` fails the build if a contract method has none.
import type { Services } from './services'
import { appApi, historyApi, settingsApi } from './app-api'
import { benchApi } from './bench-api'
import { runtimeApi } from './deploy-api'
import { devicesApi, discoveryApi, provisionApi, usbApi } from './devices-api'
import type { Handlers } from './handlers'
import { hostKeysApi } from './host-keys-api'
import { jobsApi } from './jobs-api'
import { flashApi } from './flash-api'
import { logsApi } from './logs-api'
import { modelsApi } from './models-api'

export function createHandlers(s: Services): Handlers {
  return {
    ...appApi(s),
    ...devicesApi(s),
    ...discoveryApi(s),
    ...usbApi(s),
    ...provisionApi(s),
    ...hostKeysApi(s),
    ...jobsApi(s),
    ...historyApi(s),
    ...modelsApi(s),
    ...runtimeApi(s),
    ...benchApi(s),
    ...flashApi(s),
    ...settingsApi(s),
    ...logsApi(s)
  } satisfies Handlers
}
