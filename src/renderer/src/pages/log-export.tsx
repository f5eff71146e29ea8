// Export what the Logs page shows, as filtered: text (one line each) or JSON, saved through a Blob
// link so it works the same in the desktop window and a remote browser.
import { useState } from 'react'
import type { LogFilterInput } from '../../../shared/contract-logs'
import { useClient } from '../client/client-context'
import { useI18n } from '../i18n/i18n'

export function LogExport({ filter }: { filter: LogFilterInput }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [note, setNote] = useState<{ error: boolean; text: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const save = async (format: 'text' | 'json') => {
    setNote(null)
    setBusy(true)
    try {
      const r = await client['logs.export']({ ...filter, format })
      const url = URL.createObjectURL(new Blob([r.text], { type: format === 'json' ? 'application/json' : 'text/plain' }))
      const a = document.createElement('a')
      a.href = url
      a.download = `edgedock-logs.${format === 'json' ? 'json' : 'log'}`
      document.body.appendChild(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(url), 0)
      if (r.truncated) setNote({ error: false, text: t('logs.exportTruncated', { n: r.lines }) })
    } catch (err) {
      setNote({ error: true, text: errorText(err) })
    } finally {
      setBusy(false)
    }
  }
  return (
    <span className="logs-export">
      <button disabled={busy} onClick={() => void save('text')} data-testid="logs-export-text">
        {t('logs.exportText')}
      </button>
      <button disabled={busy} onClick={() => void save('json')}>
        {t('logs.exportJson')}
      </button>
      {note && (
        <span className={note.error ? 'row-error' : 'muted'} role={note.error ? 'alert' : 'status'}>
          {note.text}
        </span>
      )}
    </span>
  )
}
