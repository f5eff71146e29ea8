import type { PlainKey } from '../../../shared/i18n'
import { useI18n } from '../i18n/i18n'

// Pages whose feature has not landed yet say so plainly instead of showing an empty screen.
export function ComingPage({ title, body }: { title: PlainKey; body: PlainKey }) {
  const { t } = useI18n()
  return (
    <div className="page">
      <header className="page-head">
        <h1>{t(title)}</h1>
      </header>
      <section className="card soon">
        <h2>{t('soon.title')}</h2>
        <p>{t(body)}</p>
        <p className="muted">{t('soon.meanwhile')}</p>
      </section>
    </div>
  )
}
