// What a cell ran on, the lines a performance engineer checks before trusting a number: board, SoC,
// OS, kernel, ONNX Runtime, CPU governor, and the unit's throttle flags.
import type { BenchEnvironment, BenchResult } from '../../../../shared/bench-result'
import { useI18n } from '../../i18n/i18n'
import { formatMs } from './bench-format'

type Kept = Omit<BenchResult, 'samples'>

export function EnvSummary({ result }: { result: Kept }) {
  const { t } = useI18n()
  const na = (v: string | number | null | undefined) => (v === 'not available' || v === null || v === undefined || v === '' ? t('bench.env.na') : String(v))
  const env = result.env
  const rows: [string, string][] = [
    [t('bench.env.board'), na(env.board)],
    [t('bench.env.soc'), socText(env, na)],
    [t('bench.env.os'), na(env.os)],
    [t('bench.env.kernel'), `${na(env.kernel)} (${env.arch})`],
    [t('bench.env.ort'), `onnxruntime ${env.onnxruntime}, Node ${env.node}, ${env.executionProvider} EP`],
    [t('bench.env.threads'), `intra-op ${env.intraOpThreads}, inter-op ${env.interOpThreads}`],
    [t('bench.env.governor'), governorText(env, na)],
    [t('bench.env.throttled'), na(env.throttled)],
    [t('bench.env.maxTemp'), result.monitor.maxTempC === null ? t('bench.env.na') : `${result.monitor.maxTempC.toFixed(1)} °C`],
    [t('bench.env.phases'), t('bench.env.phasesText', { load: formatMs(result.phases.sessionCreateMs), first: formatMs(result.phases.firstInferenceMs), warmup: result.phases.warmup.runs.toLocaleString(), runs: result.phases.measure.runs.toLocaleString() })]
  ]
  return (
    <div>
      <h3>{t('bench.env.title')}</h3>
      <dl className="facts bench-env" data-testid="bench-env">
        {rows.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {result.warnings.length > 0 && (
        <ul className="plain bench-warnings">
          {result.warnings.map((w) => (
            <li key={w}>⚠ {w}</li>
          ))}
        </ul>
      )}
    </div>
  )
}

function socText(env: BenchEnvironment, na: (v: string | number) => string): string {
  const parts = [env.soc.hardware, env.soc.modelName, env.soc.core].filter((p) => p !== 'not available')
  return parts.length === 0 ? na('not available') : `${[...new Set(parts)].join(', ')} · ${env.soc.cores} cores`
}

function governorText(env: BenchEnvironment, na: (v: string | number) => string): string {
  if (env.cpus === 'not available') return na('not available')
  const governors = [...new Set(env.cpus.map((c) => c.governor))]
  return governors.map((g) => na(g)).join(', ')
}
