// The Logs page: every stored line (streamed from units, written by jobs) in one virtualized list,
// newest at the bottom. Only the rows on screen are in the DOM, and only the pages scrolled
// through are loaded, so 500,000 lines cost what a few thousand do. Filters run in the store (FTS
// for text); Pause stops both new lines and the jump to the bottom.
import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from 'react'
import type { Device } from '../../../shared/domain'
import type { LogFilterInput, LogLineView } from '../../../shared/contract-logs'
import { useClient } from '../client/client-context'
import { useI18n } from '../i18n/i18n'
import { useLogWindow } from './log-window'
import { LogExport } from './log-export'
import { LogStreams } from './log-streams'
import './logs-page.css'

const ROW_PX = 22
const PRIORITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const
const KNOWN_UNITS = ['edgedock-inference.service', 'ssh.service', 'kernel']

const pad = (n: number, w = 2) => String(n).padStart(w, '0')
function stamp(l: LogLineView): string {
  const d = new Date(l.timeUs !== null ? l.timeUs / 1000 : l.receivedAt)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
}

/** A value that follows `value` once it has stopped changing for `ms`. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(t)
  }, [value, ms])
  return settled
}

export function LogsPage() {
  const client = useClient()
  const { t } = useI18n()
  const [devices, setDevices] = useState<Device[]>([])
  const [deviceId, setDeviceId] = useState('')
  const [unit, setUnit] = useState('')
  const [priority, setPriority] = useState('')
  const [text, setText] = useState('')
  const [paused, setPaused] = useState(false)
  useEffect(() => {
    const load = () => void client['devices.list']({}).then(setDevices)
    load()
    return client.on('devices.changed', (p) => setDevices(p.devices))
  }, [client])

  const typed = useSettled({ unit: unit.trim(), text: text.trim() }, 250)
  const filter = useMemo<LogFilterInput>(
    () => ({
      ...(deviceId ? { deviceId } : {}),
      ...(typed.unit ? { unit: typed.unit } : {}),
      ...(priority !== '' ? { maxPriority: Number(priority) } : {}),
      ...(typed.text ? { text: typed.text } : {})
    }),
    [deviceId, typed.unit, typed.text, priority]
  )
  const filtered = Object.keys(filter).length > 0
  const { win, loadOlder } = useLogWindow(filter, !paused)
  const names = useMemo(() => new Map(devices.map((d) => [d.id, d.name])), [devices])
  const units = useMemo(() => {
    const seen = new Set(KNOWN_UNITS)
    for (const l of win.rows.slice(-5000)) if (l.unit && seen.size < 60) seen.add(l.unit)
    return [...seen]
  }, [win.rows])

  const scroller = useRef<HTMLDivElement>(null)
  const atBottom = useRef(true)
  // Row 0 is the head of the list: "loading older" while there is more, "start of the log" after.
  const virtualizer = useVirtualizer({ count: win.rows.length + 1, getScrollElement: () => scroller.current, estimateSize: () => ROW_PX, overscan: 30 })
  const items = virtualizer.getVirtualItems()

  // Keeps the rows on screen where they are when older ones are put in front, and stays at the
  // newest line while following.
  useLayoutEffect(() => {
    const el = scroller.current
    if (!el) return
    if (win.shift.prepended > 0) el.scrollTop += win.shift.prepended * ROW_PX
    else if (atBottom.current && !paused) el.scrollTop = el.scrollHeight
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [win.shift.seq])
  useEffect(() => {
    if (!paused && scroller.current) {
      atBottom.current = true
      scroller.current.scrollTop = scroller.current.scrollHeight
    }
  }, [paused])
  const first = items[0]?.index ?? 0
  useEffect(() => {
    if (first < 200 && win.hasOlder) loadOlder()
  }, [first, win.hasOlder, win.rows.length, loadOlder])
  const onScroll = () => {
    const el = scroller.current
    if (el) atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_PX * 2
  }

  const total = win.total ?? win.rows.length
  return (
    <div className="page logs-page">
      <header className="page-head">
        <div>
          <h1>{t('logs.title')}</h1>
          <p className="muted">{t('logs.subtitle')}</p>
        </div>
      </header>
      <section className="card logs-card">
        <div className="logs-filters">
          <label>
            <span>{t('logs.filter.device')}</span>
            <select value={deviceId} onChange={(e) => setDeviceId(e.target.value)} data-testid="logs-device">
              <option value="">{t('logs.filter.allDevices')}</option>
              {devices.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('logs.filter.unit')}</span>
            <input list="logs-units" value={unit} placeholder={t('logs.filter.unitPlaceholder')} onChange={(e) => setUnit(e.target.value)} data-testid="logs-unit" />
            <datalist id="logs-units">
              {units.map((u) => (
                <option key={u} value={u} />
              ))}
            </datalist>
          </label>
          <label>
            <span>{t('logs.filter.priority')}</span>
            <select value={priority} onChange={(e) => setPriority(e.target.value)} data-testid="logs-priority">
              <option value="">{t('logs.filter.anyPriority')}</option>
              {PRIORITIES.map((p, i) => (
                <option key={p} value={String(i)}>
                  ≤ {i} {p}
                </option>
              ))}
            </select>
          </label>
          <label className="logs-text">
            <span>{t('logs.filter.text')}</span>
            <input type="search" value={text} placeholder={t('logs.filter.textPlaceholder')} onChange={(e) => setText(e.target.value)} data-testid="logs-text" />
          </label>
          <div className="logs-actions">
            <button className={paused ? 'primary' : ''} onClick={() => setPaused(!paused)} aria-pressed={!paused} data-testid="logs-follow">
              {paused ? t('logs.follow') : t('logs.pause')}
            </button>
            <LogExport filter={filter} />
          </div>
        </div>
        <LogStreams deviceId={deviceId} unit={typed.unit} names={names} />
        <div className="logs-status">
          <span data-testid="logs-total">{t(filtered ? 'logs.countFiltered' : 'logs.count', { n: total })}</span>
          {paused && <span className="muted">{t('logs.paused')}</span>}
        </div>
        <div className="logs-list mono" ref={scroller} onScroll={onScroll} data-testid="logs-list" role="log" aria-busy={win.loading}>
          {!win.loading && win.rows.length === 0 && <p className="empty logs-empty">{t(filtered ? 'logs.noMatch' : 'logs.empty')}</p>}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((item) => {
              const style = { transform: `translateY(${item.start}px)`, height: ROW_PX }
              if (item.index === 0) {
                return (
                  <div key="head" className="logs-row logs-head muted" style={style}>
                    {win.rows.length === 0 ? '' : win.hasOlder ? t('logs.loadingOlder') : t('logs.start')}
                  </div>
                )
              }
              const l = win.rows[item.index - 1] as LogLineView
              return <LogRow key={l.id} line={l} device={names.get(l.deviceId) ?? l.deviceId} style={style} />
            })}
          </div>
        </div>
      </section>
    </div>
  )
}

function LogRow({ line: l, device, style }: { line: LogLineView; device: string; style: CSSProperties }) {
  const { t } = useI18n()
  const marker = l.kind !== 'line'
  const level = marker ? t(l.kind === 'gap' ? 'logs.kind.gap' : 'logs.kind.dropped') : l.priority !== null ? PRIORITIES[l.priority] : ''
  const sev = marker ? 'gap' : l.priority === null ? 'none' : l.priority <= 3 ? 'bad' : l.priority === 4 ? 'warn' : 'ok'
  return (
    <div className={`logs-row${marker ? ' logs-marker' : ''}`} style={style} data-testid="log-row" title={l.message}>
      <span className="logs-time">{stamp(l)}</span>
      <span className="logs-device">{device}</span>
      <span className="logs-unit">{l.unit ?? '—'}</span>
      <span className={`logs-level logs-level-${sev}`}>{level}</span>
      <span className="logs-message">{l.message}</span>
    </div>
  )
}
