import type { Services } from './services'
import type { HandlersFor } from './handlers'

export const appApi = (s: Services) =>
  ({
    'app.info': (_input, ctx) => ({ name: 'EdgeDock', version: s.version, dataDir: s.dataDir, transport: ctx.transport })
  }) satisfies HandlersFor<'app'>

export const historyApi = (s: Services) =>
  ({
    'history.query': (q) => s.store.history.query(q)
  }) satisfies HandlersFor<'history'>

export const settingsApi = (s: Services) =>
  ({
    'settings.get': () => s.store.settings.get(),
    'settings.set': (patch) => {
      const next = s.store.settings.set(patch)
      s.events.emit('settings.changed', next)
      return next
    }
  }) satisfies HandlersFor<'settings'>
