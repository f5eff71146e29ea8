// Benchmark: how long the model library takes over resnet18_fp32.onnx (46.7 MB), as ratios against a
// reference measured in the same run: a plain fs.readFile + sha256 of the same file, which any import
// must do anyway. Run: npx tsx test/bench/models-parse.ts [path/to/model.onnx]
// Reports medians of several rounds; the ratio is what to watch, the milliseconds move with the host.
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ModelStore } from '../../src/main/core/models/model-store'
import { parseOnnx } from '../../src/main/core/models/onnx-parse'
import { createOrtEngine } from '../../src/main/core/models/ort-engine'
import { inspectWithRuntime } from '../../src/main/core/models/runtime-inspect'
import { memoryCatalog } from '../unit/main/core/models/memory-catalog'

// The model is too large for the repository: by default it is read from the models folder the team
// keeps next to the checkout; pass a path to use another. Without it the benchmark skips.
const file = resolve(process.argv[2] ?? '../shared/models/resnet18_fp32.onnx')
const rounds = Number(process.env.ROUNDS ?? 7)

if (!existsSync(file)) {
  console.log(`models-parse: skipped, ${file} is not there (it lives in the team's shared/models folder)`)
  process.exit(0)
}

async function median(label: string, fn: () => Promise<unknown>): Promise<number> {
  await fn() // warm the page cache and the JIT
  const times: number[] = []
  for (let i = 0; i < rounds; i++) {
    const t = performance.now()
    await fn()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  const m = times[Math.floor(times.length / 2)] ?? 0
  console.log(`  ${label.padEnd(42)} median ${m.toFixed(1).padStart(7)} ms  (min ${times[0]?.toFixed(1)}, max ${times.at(-1)?.toFixed(1)})`)
  return m
}

const work = await mkdtemp(join(tmpdir(), 'edgedock-bench-models-'))
try {
  const size = (await readFile(file)).length
  console.log(`models-parse: ${file} (${(size / 1e6).toFixed(1)} MB), ${rounds} rounds, node ${process.version}`)

  const reference = await median('reference: fs.readFile + sha256', async () => {
    createHash('sha256').update(await readFile(file)).digest('hex')
  })
  const bytes = await readFile(file)
  const parseOnly = await median('parseOnnx (file already in memory)', async () => parseOnnx(bytes))
  const readParse = await median('fs.readFile + parseOnnx', async () => parseOnnx(await readFile(file)))
  let n = 0
  const importMs = await median('ModelStore.import (read, hash, parse, fsync)', async () => {
    // A fresh data dir each round, so every round writes the file (no dedupe shortcut).
    const store = new ModelStore({ dataDir: join(work, `d${n++}`), catalog: memoryCatalog() })
    await store.import(file)
  })
  const engine = createOrtEngine({ intraOpNumThreads: 2 })
  const inspect = await median('ORT inspect (session create + metadata)', async () => inspectWithRuntime(engine, file, 'bench'))

  // Memory: what parsing holds on to beyond the file buffer itself.
  global.gc?.()
  const before = process.memoryUsage()
  const summary = parseOnnx(bytes)
  const after = process.memoryUsage()
  console.log(`  parse heap growth ${((after.heapUsed - before.heapUsed) / 1e6).toFixed(1)} MB, ` +
    `external growth ${((after.external - before.external) / 1e6).toFixed(1)} MB (file is ${(size / 1e6).toFixed(1)} MB; ` +
    `run with node --expose-gc for steadier figures)`)
  console.log(`  summary: ${summary.precision}, ${summary.nodeCount} nodes, ${summary.parameterCount} parameters`)
  console.log('ratios against the reference (readFile + sha256 = 1.00):')
  for (const [label, ms] of [['parseOnnx in memory', parseOnly], ['readFile + parseOnnx', readParse], ['import', importMs], ['ORT inspect', inspect]] as const) {
    console.log(`  ${label.padEnd(22)} ${(ms / reference).toFixed(2)}`)
  }
} finally {
  await rm(work, { recursive: true, force: true })
}
