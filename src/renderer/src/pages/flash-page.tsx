// The Flash page: image -> targets (drives with their verdicts, or image files) -> first-boot
// settings -> confirm with each target named -> write and verify per target -> SHA-256 and
// "insert the card and power on". The image is a path on the machine EdgeDock runs on: images are
// gigabytes, so the station does not upload them, and a browser has no path of its own to give.
import { useCallback, useEffect, useState } from 'react'
import type { FlashDrive, FlashInspection } from '../../../shared/contract-flash'
import { useClient } from '../client/client-context'
import { CustomiseForm } from '../components/flash/customise-form'
import { customiseInput, emptyCustomise, size, type CustomiseValues } from '../components/flash/flash-format'
import { FlashRun } from '../components/flash/flash-run'
import { useI18n } from '../i18n/i18n'

export function FlashPage() {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [imagePath, setImagePath] = useState('')
  const [inspection, setInspection] = useState<FlashInspection | null>(null)
  const [drives, setDrives] = useState<FlashDrive[] | null>(null)
  const [chosen, setChosen] = useState<string[]>([])
  const [files, setFiles] = useState<string[]>([])
  const [newFile, setNewFile] = useState('')
  const [dataDir, setDataDir] = useState('')
  const [sha256, setSha256] = useState('')
  const [confirmLarge, setConfirmLarge] = useState(false)
  const [custom, setCustom] = useState<CustomiseValues>(emptyCustomise)
  const [confirming, setConfirming] = useState(false)
  const [run, setRun] = useState<{ jobId: string; targets: string[] } | null>(null)
  const [error, setError] = useState<string | null>(null)

  const loadDrives = useCallback(
    () =>
      void client['flash.drives']({ ...(inspection ? { source: inspection.path } : {}), ...(inspection?.sizeBytes ? { imageSizeBytes: inspection.sizeBytes } : {}) }).then(
        setDrives,
        (e: unknown) => setError(errorText(e))
      ),
    [client, inspection, errorText]
  )
  useEffect(loadDrives, [loadDrives])
  useEffect(() => void client['app.info']({}).then((i) => setDataDir(i.dataDir)), [client])
  // A card plugged in or pulled out changes the list.
  useEffect(() => client.on('usb.changed', () => loadDrives()), [client, loadDrives])

  const inspect = async () => {
    setError(null)
    setInspection(null)
    try {
      setInspection(await client['flash.inspect']({ source: { path: imagePath.trim() } }))
    } catch (err) {
      setError(errorText(err))
    }
  }
  const targets = [...chosen, ...files]
  const targetLabel = (target: string) => {
    const d = drives?.find((x) => x.path === target)
    return d ? `${[d.vendor, d.model].filter(Boolean).join(' ') || d.name} · ${size(d.sizeBytes)} · ${d.path}` : target
  }
  const needsConfirm = chosen.some((p) => drives?.find((d) => d.path === p)?.verdict.state === 'warn')
  const canStart = imagePath.trim() !== '' && targets.length > 0 && (!needsConfirm || confirmLarge)

  const start = async () => {
    setError(null)
    try {
      const customise = customiseInput(custom)
      const { jobId } = await client['flash.start']({
        source: { path: imagePath.trim() },
        targets,
        ...(sha256.trim() ? { sha256: sha256.trim() } : {}),
        ...(confirmLarge ? { confirmLarge: true } : {}),
        ...(customise ? { customise } : {})
      })
      setRun({ jobId, targets })
      setConfirming(false)
    } catch (err) {
      setConfirming(false)
      setError(errorText(err))
    }
  }
  const addFile = () => {
    const f = newFile.trim()
    if (f && !files.includes(f)) setFiles([...files, f])
    setNewFile('')
    setError(null)
  }

  return (
    <div className="page flash-page">
      <header className="page-head">
        <div>
          <h1>{t('nav.flash')}</h1>
          <p className="muted">{t('flash.subtitle')}</p>
        </div>
      </header>
      {run ? (
        <FlashRun jobId={run.jobId} targets={run.targets} onAgain={() => (setRun(null), loadDrives())} />
      ) : (
        <>
          <section className="card" aria-label={t('flash.image')}>
            <div className="card-head">
              <h2>{t('flash.image')}</h2>
            </div>
            <div className="add-form">
              <label>
                {t('flash.imagePath')}
                <input value={imagePath} placeholder="/home/pi/images/raspios-bookworm-arm64-lite.img.xz" onChange={(e) => (setImagePath(e.target.value), setInspection(null))} />
              </label>
              <label>
                {t('flash.sha256')}
                <input value={sha256} onChange={(e) => setSha256(e.target.value)} />
              </label>
              <button disabled={imagePath.trim() === ''} onClick={() => void inspect()}>
                {t('flash.inspect')}
              </button>
              <p className="muted small" style={{ gridColumn: '1 / -1', margin: 0 }}>
                {t('flash.imageHint')}
              </p>
              {inspection && (
                <p className="form-message ok" data-testid="flash-inspection">
                  {t('flash.format')}: <strong>{inspection.format}</strong> · {t('flash.size')}: <strong>{inspection.sizeBytes === null ? t('flash.sizeUnknown') : size(inspection.sizeBytes)}</strong> ·{' '}
                  {t('flash.firstBoot')}:{' '}
                  <strong>{inspection.firstBoot ? t(`flash.mech.${inspection.firstBoot}`) : inspection.format === 'raw' ? t('flash.firstBootNone') : t('flash.firstBootUnknown')}</strong>
                </p>
              )}
            </div>
          </section>

          <section className="card" aria-label={t('flash.targets')}>
            <div className="card-head">
              <h2>
                {t('flash.targets')} <span className="count">{targets.length}</span>
              </h2>
              <button className="link" onClick={loadDrives}>
                {t('flash.refresh')}
              </button>
            </div>
            {drives && drives.length === 0 && <p className="empty">{t('flash.noDrives')}</p>}
            {drives && drives.length > 0 && (
              <table className="grid" data-testid="flash-drives">
                <tbody>
                  {drives.map((d) => (
                    <tr key={d.path} data-testid="flash-drive-row">
                      <td>
                        <input
                          type="checkbox"
                          aria-label={d.path}
                          disabled={d.verdict.state === 'refused'}
                          checked={chosen.includes(d.path)}
                          onChange={(e) => setChosen(e.target.checked ? [...chosen, d.path] : chosen.filter((p) => p !== d.path))}
                        />
                      </td>
                      <td className="name">{[d.vendor, d.model].filter(Boolean).join(' ') || d.name}</td>
                      <td className="mono">{d.path}</td>
                      <td className="num">{size(d.sizeBytes)}</td>
                      <td>
                        <span className={`pill pill-${d.verdict.state === 'ok' ? 'ok' : d.verdict.state === 'warn' ? 'cancelled' : 'failed'}`}>{t(`flash.verdict.${d.verdict.state}`)}</span>
                        {d.verdict.code && <div className="muted small">{errorText(d.verdict)}</div>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {needsConfirm && (
              <label className="pick" style={{ display: 'flex', gap: 8, marginTop: 8 }}>
                <input type="checkbox" checked={confirmLarge} onChange={(e) => setConfirmLarge(e.target.checked)} />
                {t('flash.confirmLarge')}
              </label>
            )}
            <div className="add-form" style={{ marginTop: 10, border: 'none', padding: 0 }}>
              <label>
                {t('flash.fileTarget')}
                <input
                  value={newFile}
                  aria-label={t('flash.fileTarget')}
                  placeholder={dataDir ? `${dataDir}/images/card.img` : ''}
                  onChange={(e) => setNewFile(e.target.value)}
                  onKeyDown={(e) => e.key === 'Enter' && addFile()}
                />
              </label>
              <span className="muted small">{t('flash.fileTargetHint')}</span>
              <button disabled={newFile.trim() === ''} onClick={addFile}>
                {t('flash.addFile')}
              </button>
            </div>
            {files.length > 0 && (
              <ul data-testid="flash-file-targets">
                {files.map((f) => (
                  <li key={f} className="mono">
                    {f}{' '}
                    <button className="link" onClick={() => setFiles(files.filter((x) => x !== f))}>
                      {t('flash.remove')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <CustomiseForm value={custom} onChange={setCustom} />

          {error && (
            <p className="form-message error" role="alert">
              {error}
            </p>
          )}
          {confirming ? (
            <section className="card" aria-label={t('flash.confirmYes')} data-testid="flash-confirm">
              <p>
                <strong>{t('flash.confirm', { n: targets.length })}</strong>
              </p>
              <ul>
                {targets.map((target) => (
                  <li key={target} className="mono">
                    {targetLabel(target)}
                  </li>
                ))}
              </ul>
              <div className="toolbar">
                <button className="primary" onClick={() => void start()}>
                  {t('flash.confirmYes')}
                </button>
                <button onClick={() => setConfirming(false)}>{t('flash.back')}</button>
              </div>
            </section>
          ) : (
            <div className="toolbar">
              <span className="muted">{canStart ? '' : t('flash.nothingChosen')}</span>
              <span className="grow" />
              <button className="primary" disabled={!canStart} onClick={() => setConfirming(true)}>
                {t('flash.start')}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  )
}
