import { useState, type FormEvent } from 'react'
import { parseTarget } from '../../../shared/target'
import { useClient } from '../client/client-context'
import { useI18n } from '../i18n/i18n'

export function AddDeviceForm({ defaultUser }: { defaultUser: string }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [target, setTarget] = useState('')
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null)

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const parsed = parseTarget(target, defaultUser)
    if (!parsed.ok) return setMessage({ kind: 'error', text: errorText({ code: 'INVALID_INPUT', detail: parsed.reason }) })
    setBusy(true)
    try {
      const d = await client['devices.add']({ ...parsed.target, name: name.trim() || undefined })
      setMessage({ kind: 'ok', text: t('devices.added', { name: d.name }) })
      setTarget('')
      setName('')
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="add-form" onSubmit={(e) => void submit(e)} aria-label={t('devices.add')}>
      <label>
        <span>{t('devices.addTarget')}</span>
        <input
          name="target"
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          placeholder={t('devices.addTargetHint')}
          autoComplete="off"
          spellCheck={false}
          required
        />
      </label>
      <label>
        <span>{t('devices.addName')}</span>
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} placeholder={t('devices.addNameHint')} autoComplete="off" />
      </label>
      <button type="submit" className="primary" disabled={busy || target.trim() === ''}>
        {busy ? t('devices.adding') : t('devices.add')}
      </button>
      {message && (
        <p className={`form-message ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </p>
      )}
    </form>
  )
}
