import { useEffect, useState } from 'react'
import type { Settings } from '../../shared/domain'
import { useClient, useLive } from './client/client-context'
import { JobsPanel } from './components/jobs-panel'
import { I18nProvider, useI18n } from './i18n/i18n'
import { BenchPage } from './pages/bench-page'
import { DevicesPage } from './pages/devices-page'
import { FlashPage } from './pages/flash-page'
import { HistoryPage } from './pages/history-page'
import { LogsPage } from './pages/logs-page'
import { ModelsPage } from './pages/models-page'
import { ProvisionPage } from './pages/provision-page'
import { SettingsPage } from './pages/settings-page'

const pages = ['devices', 'provision', 'models', 'benchmarks', 'logs', 'flash', 'history', 'settings'] as const
type Page = (typeof pages)[number]
interface Route {
  page: Page
  /** `#/devices/<id>` opens a device; `#/provision/<name>` starts the wizard with that device picked. */
  arg: string | null
}

const routeFromHash = (): Route => {
  const [p, arg] = window.location.hash.replace(/^#\/?/, '').split('/') as [Page, string | undefined]
  return pages.includes(p) ? { page: p, arg: arg ? decodeURIComponent(arg) : null } : { page: 'devices', arg: null }
}

export function App() {
  const settings = useLive<Settings, 'settings.changed'>((c) => c['settings.get']({}), 'settings.changed', (s) => s)
  if (!settings) return <div className="loading">EdgeDock…</div>
  return (
    <I18nProvider lang={settings.language}>
      <Shell settings={settings} />
    </I18nProvider>
  )
}

function Shell({ settings }: { settings: Settings }) {
  const client = useClient()
  const { t, lang } = useI18n()
  const [{ page, arg }, setRoute] = useState<Route>(routeFromHash)
  useEffect(() => {
    const onHash = () => setRoute(routeFromHash())
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en'
  }, [lang])

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="brand">
          <span className="logo" aria-hidden>◆</span>
          <div>
            <strong>EdgeDock</strong>
            <small>{t('app.tagline')}</small>
          </div>
        </div>
        <nav aria-label="Main">
          {pages.map((p) => (
            <a key={p} href={`#/${p}`} className={p === page ? 'active' : ''} aria-current={p === page ? 'page' : undefined}>
              {t(`nav.${p}`)}
            </a>
          ))}
        </nav>
        <div className="sidebar-foot">
          <label className="lang">
            <span>{t('lang.label')}</span>
            <select
              aria-label={t('lang.label')}
              value={lang}
              onChange={(e) => void client['settings.set']({ language: e.target.value as Settings['language'] })}
            >
              <option value="en">English</option>
              <option value="zh">简体中文</option>
            </select>
          </label>
          <small className="muted">{client.kind === 'station' ? t('conn.station') : t('conn.desktop')}</small>
        </div>
      </aside>
      <main className="content">
        {page === 'devices' && <DevicesPage defaultUser={settings.defaultUser} openId={arg} />}
        {page === 'provision' && <ProvisionPage key={arg ?? ''} preselect={arg} />}
        {page === 'models' && <ModelsPage />}
        {page === 'benchmarks' && <BenchPage />}
        {page === 'logs' && <LogsPage />}
        {page === 'flash' && <FlashPage />}
        {page === 'history' && <HistoryPage />}
        {page === 'settings' && <SettingsPage settings={settings} />}
      </main>
      <JobsPanel />
    </div>
  )
}
