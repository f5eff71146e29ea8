import { useEffect, useState } from 'react'
import type { Settings } from '../../../shared/domain'
import { useClient } from '../client/client-context'
import { useI18n } from '../i18n/i18n'

export function SettingsPage({ settings }: { settings: Settings }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [info, setInfo] = useState<{ version: string; dataDir: string } | null>(null)
  const [user, setUser] = useState(settings.defaultUser)
  const [status, setStatus] = useState<string | null>(null)
  useEffect(() => void client['app.info']({}).then(setInfo), [client])

  const save = async (patch: Partial<Settings>) => {
    try {
      await client['settings.set'](patch)
      setStatus(t('settings.saved'))
    } catch (err) {
      setStatus(errorText(err))
    }
  }

  return (
    <div className="page">
      <header className="page-head">
        <h1>{t('settings.title')}</h1>
      </header>
      <section className="card form-grid">
        <label>
          <span>{t('settings.language')}</span>
          <select value={settings.language} onChange={(e) => void save({ language: e.target.value as Settings['language'] })}>
            <option value="en">English</option>
            <option value="zh">简体中文</option>
          </select>
          <small className="muted">{t('settings.languageHint')}</small>
        </label>
        <label>
          <span>{t('settings.defaultUser')}</span>
          <input value={user} onChange={(e) => setUser(e.target.value)} onBlur={() => user !== settings.defaultUser && void save({ defaultUser: user })} />
        </label>
        <div>
          <span>{t('settings.dataDir')}</span>
          <code>{info?.dataDir}</code>
        </div>
        <div>
          <span>{t('settings.version')}</span>
          <code>{info?.version}</code>
        </div>
        {status && <p className="form-message ok" role="status">{status}</p>}
      </section>
    </div>
  )
}
