// "Trust the new key", then a confirmation that says what trusting means, then hostKeys.repin with
// the fingerprint the user was shown: if the unit offers another key by then, nothing is pinned and
// the refusal is shown in plain words.
import { useState } from 'react'
import { useClient } from '../../client/client-context'
import { useI18n } from '../../i18n/i18n'
import type { KeyIdentity } from './host-key-change'

export function TrustNewKey({ target, offered, onTrusted }: { target: string; offered: KeyIdentity; onTrusted: () => void }) {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [mode, setMode] = useState<'idle' | 'confirm' | 'busy'>('idle')
  const [error, setError] = useState<string | null>(null)

  const trust = async () => {
    setMode('busy')
    setError(null)
    try {
      await client['hostKeys.repin']({ target, fingerprint: offered.fingerprint })
      onTrusted()
    } catch (err) {
      setError(errorText(err))
    }
    setMode('idle')
  }

  return (
    <div className="hk-action">
      {mode === 'idle' && (
        <button className="warn-outline" onClick={() => setMode('confirm')}>
          {t('hk.trust')}
        </button>
      )}
      {mode !== 'idle' && (
        <div className="hk-confirm" role="group" aria-label={t('hk.trust')}>
          <p>{t('hk.confirm', { key: `${offered.algorithm} ${offered.fingerprint}` })}</p>
          <button className="primary" disabled={mode === 'busy'} onClick={() => void trust()}>
            {mode === 'busy' ? t('hk.trusting') : t('hk.confirmYes')}
          </button>{' '}
          <button disabled={mode === 'busy'} onClick={() => setMode('idle')}>
            {t('hk.cancel')}
          </button>
        </div>
      )}
      {error && (
        <p className="form-message error" role="alert" data-testid="hk-error">
          {error}
        </p>
      )}
    </div>
  )
}
