// Push a library model to the unit (optionally under another version name on the unit).
import { useEffect, useState, type FormEvent } from 'react'
import type { ModelRecordDto } from '../../../../shared/models'
import { useClient } from '../../client/client-context'
import { useI18n } from '../../i18n/i18n'
import { refOf } from '../model-ref'

export function PushForm({ disabled, onPush }: { disabled: boolean; onPush: (ref: string, version: string | undefined) => void }) {
  const client = useClient()
  const { t } = useI18n()
  const [models, setModels] = useState<ModelRecordDto[]>([])
  const [ref, setRef] = useState('')
  const [version, setVersion] = useState('')
  useEffect(() => {
    void client['models.list']({}).then((list) => {
      setModels(list)
      setRef((r) => r || (list[0] ? refOf(list[0]) : ''))
    })
  }, [client])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (ref) onPush(ref, version.trim() || undefined)
  }
  if (models.length === 0) return <p className="muted small">{t('mp.noModels')}</p>
  return (
    <form className="push-form" onSubmit={submit}>
      <label>
        <span>{t('mp.model')}</span>
        <select value={ref} onChange={(e) => setRef(e.target.value)}>
          {models.map((m) => (
            <option key={m.sha256 + m.version} value={refOf(m)}>
              {refOf(m)} ({m.summary.precision.toUpperCase()})
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('mp.version')}</span>
        <input value={version} onChange={(e) => setVersion(e.target.value)} placeholder={t('mp.versionHint')} autoComplete="off" spellCheck={false} />
      </label>
      <button type="submit" className="primary" disabled={disabled || !ref}>
        {t('mp.push')}
      </button>
    </form>
  )
}
