// The Benchmarks page: start a matrix run, watch its cells, read and compare the results.
import { useCallback, useEffect, useState } from 'react'
import type { BenchCell, BenchComparison, BenchRun } from '../../../shared/bench-run'
import type { Device } from '../../../shared/domain'
import type { ModelRecordDto } from '../../../shared/models'
import { useClient } from '../client/client-context'
import { useI18n } from '../i18n/i18n'
import { cellLabel } from '../components/bench/bench-format'
import { ComparePanel } from '../components/bench/compare-panel'
import { LatencyCdfChart, type ChartCell } from '../components/bench/latency-cdf-chart'
import { RunForm } from '../components/bench/run-form'
import { RunHistory } from '../components/bench/run-history'
import { RunResults } from '../components/bench/run-results'

export function BenchPage() {
  const client = useClient()
  const { t, errorText } = useI18n()
  const [devices, setDevices] = useState<Device[]>([])
  const [models, setModels] = useState<ModelRecordDto[]>([])
  const [runs, setRuns] = useState<BenchRun[] | null>(null)
  const [open, setOpen] = useState<string[] | null>(null)
  const [selected, setSelected] = useState<ChartCell[]>([])
  const [comparison, setComparison] = useState<BenchComparison | null>(null)
  const [error, setError] = useState<string | null>(null)

  const reloadRuns = useCallback(() => void client['bench.list']({ limit: 100 }).then(setRuns, (e: unknown) => setError(errorText(e))), [client, errorText])
  useEffect(() => {
    void client['devices.list']({}).then(setDevices)
    void client['models.list']({}).then(setModels)
    reloadRuns()
    const offDevices = client.on('devices.changed', (p) => setDevices(p.devices))
    // A run's counts in the history move when one of its cells ends.
    const offCells = client.on('bench.cell', (c) => {
      if (c.state !== 'running') reloadRuns()
    })
    return () => {
      offDevices()
      offCells()
    }
  }, [client, reloadRuns])
  // The newest run opens by itself the first time there is one, so the page never opens empty-handed.
  useEffect(() => {
    if (runs?.[0] && open === null) setOpen([runs[0].id])
  }, [runs, open])

  const toggleRun = (id: string) => setOpen((prev) => ((prev ?? []).includes(id) ? (prev ?? []).filter((x) => x !== id) : [id, ...(prev ?? [])]))
  const onStarted = (runId: string) => {
    setOpen((prev) => [runId, ...(prev ?? []).filter((x) => x !== runId)])
    reloadRuns()
  }
  const onSelect = (cell: BenchCell, on: boolean) => {
    setComparison(null)
    setSelected((prev) => (on ? [...prev.filter((c) => c.id !== cell.id), { id: cell.id, label: cellLabel(cell) }] : prev.filter((c) => c.id !== cell.id)))
  }
  const compare = async () => {
    setError(null)
    try {
      setComparison(await client['bench.compare']({ ids: selected.map((c) => c.id) }))
    } catch (err) {
      setError(errorText(err))
    }
  }

  return (
    <div className="page bench-page">
      <header className="page-head">
        <div>
          <h1>{t('nav.benchmarks')}</h1>
          <p className="muted">{t('bench.subtitle')}</p>
        </div>
      </header>
      <RunForm devices={devices} models={models} onStarted={onStarted} />
      {runs && <RunHistory runs={runs} open={open ?? []} onToggle={toggleRun} />}
      {error && (
        <p className="form-message error" role="alert">
          {error}
        </p>
      )}
      {(open ?? []).map((id) => (
        <RunResults
          key={id}
          runId={id}
          isSelected={(cellId) => selected.some((c) => c.id === cellId)}
          onSelect={onSelect}
          onClose={() => toggleRun(id)}
        />
      ))}
      <div className="toolbar bench-selection">
        <span className="muted">{selected.length === 0 ? t('bench.selectHint') : t('bench.selected', { n: selected.length, baseline: selected[0]?.label ?? '' })}</span>
        <span className="grow" />
        {selected.length > 0 && (
          <button className="link" onClick={() => (setSelected([]), setComparison(null))}>
            {t('bench.clearSelection')}
          </button>
        )}
        <button className="primary" disabled={selected.length < 2} onClick={() => void compare()}>
          {t('bench.compare')}
        </button>
      </div>
      {comparison && <ComparePanel comparison={comparison} />}
      <LatencyCdfChart cells={selected} />
    </div>
  )
}
