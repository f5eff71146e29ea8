// The model versions kept on the unit, newest first; any but the current one can be switched back to.
import type { DeviceModelStatus } from '../../../../shared/deploy'
import { useI18n } from '../../i18n/i18n'

export function VersionList({ versions, disabled, onRollback }: { versions: DeviceModelStatus['versions']; disabled: boolean; onRollback: (version: string) => void }) {
  const { t } = useI18n()
  if (versions.length === 0) return <p className="muted small">{t('mp.noVersions')}</p>
  return (
    <table className="grid versions">
      <thead>
        <tr>
          <th>{t('mp.col.version')}</th>
          <th>{t('mp.col.model')}</th>
          <th>sha256</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {versions.map((v) => (
          <tr key={v.version} data-testid="model-version">
            <td className="mono">{v.version}</td>
            <td>{v.name ?? '—'}</td>
            <td className="mono small">{v.sha256?.slice(0, 12) ?? '—'}</td>
            <td className="actions">
              {v.current ? (
                <span className="pill pill-ok">{t('mp.serving')}</span>
              ) : (
                <button className="link" disabled={disabled} onClick={() => onRollback(v.version)}>
                  {t('mp.switchTo')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
