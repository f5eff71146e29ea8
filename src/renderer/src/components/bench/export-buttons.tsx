// CSV for a spreadsheet, JSON (with the raw samples) for a script: the station's own export,
// saved through a Blob link so it works the same in the desktop window and a remote browser.
import { useState } from 'react'
import { useClient } from '../../client/client-context'
import { useI18n } from '../../i18n/i18n'

export function ExportButtons({ ids, name }: { ids: string[]; name: string }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [error, setError] = useState<string | null>(null)
  const save = async (format: 'csv' | 'json') => {
    setError(null)
    try {
      const { text } = await client['bench.export']({ ids, format })
      const url = URL.createObjectURL(new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' }))
      const a = document.createElement('a')
      a.href = url
      a.download = `${name}.${format}`
      document.body.appendChild(a)
      a.click()
      a.remove()
      // Revoked on the next turn: the download has taken the bytes by then.
      setTimeout(() => URL.revokeObjectURL(url), 0)
    } catch (err) {
      setError(errorText(err))
    }
  }
  return (
    <span className="bench-export">
      <button onClick={() => void save('csv')}>{t('bench.exportCsv')}</button>
      <button onClick={() => void save('json')}>{t('bench.exportJson')}</button>
      {error && <span className="row-error" role="alert">{error}</span>}
    </span>
  )
}
