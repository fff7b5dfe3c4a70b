// The wabt column of tests/bench/engine: times the kernels of kernels.wasm in wabt's interpreter.
// spectest-interp takes no function arguments on its command line, so each kernel gets a spec-test JSON
// script (the format wast2json writes) with one module command and one invoke action; the process is
// timed from the outside, and the median time of the same script with n = 0 (start-up, decoding and
// validation) is subtracted.
//
//   node run-wabt.mjs KERNELS.wasm RUNS NAME=N...
//
// prints one JSON object: {"NAME": {"n": N, "runs": RUNS, "ms": MEDIAN, "checksum": C}, ...}.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const [file, runsText, ...kernels] = process.argv.slice(2);
const runs = Number.parseInt(runsText, 10);
if (!file || !(runs >= 1) || kernels.length === 0) {
  console.error('usage: node run-wabt.mjs KERNELS.wasm RUNS NAME=N...');
  process.exit(2);
}

const interpreter = process.env.SPECTEST_INTERP ?? 'spectest-interp';
const directory = mkdtempSync(join(tmpdir(), 'bench-wabt-'));
process.on('exit', () => rmSync(directory, { recursive: true, force: true }));

function script(name, n) {
  const path = join(directory, `${name}-${n}.json`);
  writeFileSync(path, JSON.stringify({
    source_filename: `${name}.wast`,
    commands: [
      { type: 'module', line: 1, filename: relative(directory, resolve(file)) }, // relative to the script
      {
        type: 'action',
        line: 2,
        action: { type: 'invoke', field: `bench_${name}`, args: [{ type: 'i32', value: String(n) }] },
        expected: [{ type: 'i32' }],
      },
    ],
  }));
  return path;
}

// One process run: wall time in ms and the checksum it printed ("bench_NAME(i32:N) => i32:C").
function run(name, path) {
  const start = process.hrtime.bigint();
  const child = spawnSync(interpreter, [path], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const match = /=> i32:(\d+)/.exec(child.stdout ?? '');
  if (child.status !== 0 || !match) {
    console.error(`${interpreter} failed on ${name}: ${child.error ?? ''}${child.stdout}${child.stderr}`);
    process.exit(1);
  }
  return { ms, checksum: Number(match[1]) >>> 0 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const results = {};
for (const spec of kernels) {
  const [name, nText] = spec.split('=');
  const n = Number.parseInt(nText, 10);
  if (!(n >= 0)) {
    console.error(`missing =N: ${spec}`);
    process.exit(2);
  }

  const work = script(name, n);
  const empty = script(name, 0);
  // No warm-up run of its own: an interpreter has nothing to warm up, and the n = 0 run before each
  // timed run brings the files into the page cache.
  let checksum;
  const times = [];
  const startup = [];
  for (let r = 0; r < runs; r++) {
    startup.push(run(name, empty).ms);
    const result = run(name, work);
    times.push(result.ms);
    checksum ??= result.checksum;
    if (result.checksum !== checksum) {
      console.error(`${name}: checksum changed between runs (${checksum}, then ${result.checksum})`);
      process.exit(1);
    }
  }

  results[name] = { n, runs, ms: Math.max(0, median(times) - median(startup)), startup_ms: median(startup), checksum };
}

console.log(JSON.stringify(results));
