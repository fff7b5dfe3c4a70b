// The V8 column of tests/bench/engine: times the kernels of kernels.wasm in Node, in process, the same
// way the other runtimes are timed (one warm-up run, which also lets V8 tier up, then the median of
// RUNS runs).
//
//   node run-v8.mjs KERNELS.wasm RUNS NAME=N...
//
// prints one JSON object: {"NAME": {"n": N, "runs": RUNS, "ms": MEDIAN, "checksum": C}, ...}.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [file, runsText, ...kernels] = process.argv.slice(2);
const runs = Number.parseInt(runsText, 10);
if (!file || !(runs >= 1) || kernels.length === 0) {
  console.error('usage: node run-v8.mjs KERNELS.wasm RUNS NAME=N...');
  process.exit(2);
}

const { instance } = await WebAssembly.instantiate(readFileSync(file));
const results = {};
for (const spec of kernels) {
  const [name, nText] = spec.split('=');
  const run = instance.exports[`bench_${name}`];
  if (typeof run !== 'function' || nText === undefined) {
    console.error(`unknown kernel or missing =N: ${spec}`);
    process.exit(2);
  }

  const n = Number.parseInt(nText, 10);
  const checksum = run(n) >>> 0; // warm-up
  const times = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    const result = run(n) >>> 0;
    times.push(performance.now() - start);
    if (result !== checksum) {
      console.error(`${name}: checksum changed between runs (${checksum}, then ${result})`);
      process.exit(1);
    }
  }

  times.sort((a, b) => a - b);
  results[name] = { n, runs, ms: times[Math.floor(runs / 2)], checksum };
}

console.log(JSON.stringify(results));
