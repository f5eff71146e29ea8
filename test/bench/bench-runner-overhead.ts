// Benchmark of the benchmark: the agent runner's p50 (`edgedock-agent bench`, as units and the host
// baseline run it) against a bare onnxruntime-node loop (create the session with the same options,
// time each awaited run with performance.now), same model, same threads, same input, in the same run,
// each in a fresh process, interleaved over several rounds. Goal: the runner within 2% of the loop.
// Run: npx tsx test/bench/bench-runner-overhead.ts   (ROUNDS=5 RUNS=2000 THREADS=1)
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ensureAgentBuilt, agentBundle, ortDir } from '../integration/agent/agent-process'

const root = path.resolve(import.meta.dirname, '../..')
const rounds = Number(process.env.ROUNDS ?? 5)
const runs = Number(process.env.RUNS ?? 2000)
const threads = Number(process.env.THREADS ?? 1)
// The digits CNN ships with EdgeDock; the larger models are the team's, next to the checkout, and used when there.
const models = [
  path.join(root, 'resources/models/digits_cnn_fp32.onnx'),
  path.resolve(root, '../shared/models/simplecnn_fp32.onnx'),
  path.resolve(root, '../shared/models/mobilenet_v2_fp32.onnx')
].filter((f) => existsSync(f))

// The bare loop: what a performance engineer would write by hand. Seeded input like the runner's
// default (uniform [0,1)); the values do not change a CNN's time.
const BARE = `
const ort = require(process.argv[2]);
const fs = require('node:fs');
(async () => {
  const s = await ort.InferenceSession.create(fs.readFileSync(process.argv[3]), { executionProviders: ['cpu'], graphOptimizationLevel: 'all', intraOpNumThreads: Number(process.argv[4]), interOpNumThreads: 0, logSeverityLevel: 3 });
  const meta = s.inputMetadata[0];
  const dims = meta.shape.map((d, i) => (typeof d === 'number' && d > 0 ? d : 1));
  const n = dims.reduce((a, b) => a * b, 1);
  let x = 1; const data = new Float32Array(n).map(() => ((x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32));
  const feed = { [s.inputNames[0]]: new ort.Tensor('float32', data, dims) };
  for (let i = 0; i < 10; i++) await s.run(feed);
  const t = [];
  for (let i = 0; i < Number(process.argv[5]); i++) { const t0 = performance.now(); await s.run(feed); t.push(performance.now() - t0); }
  t.sort((a, b) => a - b);
  const h = (t.length - 1) * 0.5, lo = Math.floor(h);
  console.log(JSON.stringify({ p50Ms: t[lo] + (h - lo) * (t[Math.min(t.length - 1, lo + 1)] - t[lo]) }));
})();
`

function bare(model: string, dir: string): number {
  const script = path.join(dir, 'bare.cjs')
  writeFileSync(script, BARE)
  const r = spawnSync(process.execPath, [script, ortDir, model, String(threads), String(runs)], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`bare loop failed: ${r.stderr}`)
  return (JSON.parse(r.stdout) as { p50Ms: number }).p50Ms
}

function runner(model: string): number {
  const r = spawnSync(process.execPath, [agentBundle, 'bench', `--model=${model}`, `--threads=${threads}`, `--runs=${runs}`, '--duration=0', '--warmup=10', '--no-raw'], {
    encoding: 'utf8',
    env: { ...process.env, EDGEDOCK_ORT_DIR: ortDir }
  })
  if (r.status !== 0) throw new Error(`runner failed: ${r.stdout}${r.stderr}`)
  return (JSON.parse(r.stdout) as { stats: { p50Ms: number } }).stats.p50Ms
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

ensureAgentBuilt()
const dir = mkdtempSync(path.join(tmpdir(), 'edgedock-bench-overhead-'))
try {
  console.log(`bench-runner-overhead: ${rounds} rounds interleaved, ${runs} runs each, ${threads} intra-op thread(s), node ${process.version}`)
  for (const model of models) {
    const a: number[] = []
    const b: number[] = []
    for (let i = 0; i < rounds; i++) {
      a.push(bare(model, dir))
      b.push(runner(model))
    }
    const ratio = median(b) / median(a)
    const verdict = Math.abs(ratio - 1) <= 0.02 ? 'met' : 'NOT met'
    console.log(`  ${path.basename(model).padEnd(26)} bare loop p50 ${median(a).toFixed(4)} ms   runner p50 ${median(b).toFixed(4)} ms   = ${ratio.toFixed(3)}x   goal within 2%: ${verdict}`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
