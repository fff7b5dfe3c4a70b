// The report of tests/bench/engine: checks that every runtime returned the same checksum for every
// kernel, then prints the times side by side, the ratios and their geometric means, the engine's
// instantiate, reset and call figures against the targets, and the date and machine. Exits 1 when a
// checksum differs.
//
//   node report.mjs DIR [RESULTS.json]
//
// DIR holds RUNTIME-KERNEL.json for the runtimes ours, native, v8 and wabt: ours-*.json is the output of
// `appliance bench engine --json --n KERNEL=N`, the others map the kernel's name to {n, ms, checksum}.
// RESULTS.json, when given, receives everything in one file.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

const [directory, resultsFile] = process.argv.slice(2);
if (!directory) {
  console.error('usage: node report.mjs DIR [RESULTS.json]');
  process.exit(2);
}

const read = (file) => JSON.parse(readFileSync(join(directory, file), 'utf8'));
const runtimes = ['native', 'ours', 'v8', 'wabt'];
const columns = Object.fromEntries(runtimes.map((runtime) => [runtime, {}]));
const engineRuns = [];
for (const file of readdirSync(directory).sort()) {
  const match = /^(native|ours|v8|wabt)-(.+)\.json$/.exec(file);
  if (!match) continue;
  const content = read(file);
  if (match[1] === 'ours') {
    engineRuns.push(content);
    Object.assign(columns.ours, content.kernels);
  } else {
    Object.assign(columns[match[1]], content);
  }
}
if (engineRuns.length === 0) {
  console.error(`no ours-*.json in ${directory}`);
  process.exit(2);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ours = {
  ...engineRuns[0],
  instantiate_us: median(engineRuns.map((run) => run.instantiate_us)),
  reset_us: median(engineRuns.map((run) => run.reset_us)),
  call_ns: median(engineRuns.map((run) => run.call_ns)),
};

// The targets of the engine issue.
const targets = { geomeanOursNative: 12, geomeanOursNativeAim: 8, resetMicroseconds: 5, instantiateMicroseconds: 50 };

const tool = (command, args) => {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return result.status === 0 ? (result.stdout || result.stderr).split('\n')[0].trim() : 'unknown';
};
const machine = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  engine: ours.version,
  gcc: tool('gcc', ['-dumpfullversion']),
  clang: tool('clang', ['--version']),
  node: `${process.version} (V8 ${process.versions.v8})`,
  wabt: tool(process.env.SPECTEST_INTERP ?? 'spectest-interp', ['--version']),
};

let mismatches = 0;
const rows = [];
for (const name of Object.keys(columns.ours)) { // alphabetical: the files are read sorted
  const row = { name, n: columns.ours[name].n };
  for (const [runtime, results] of Object.entries(columns)) {
    const result = results[name];
    if (!result || result.n !== row.n) {
      console.error(`${name}: ${runtime} did not run it with n = ${row.n}`);
      mismatches++;
      continue;
    }
    row[runtime] = result.ms;
    if (row.checksum === undefined) {
      row.checksum = result.checksum;
      row.checksumFrom = runtime;
    } else if (result.checksum !== row.checksum) {
      console.error(`${name}: ${runtime} returned checksum ${result.checksum}, ${row.checksumFrom} returned ${row.checksum}`);
      mismatches++;
    }
  }
  row.oursNative = row.ours / row.native;
  row.oursV8 = row.ours / row.v8;
  row.wabtOurs = row.wabt / row.ours;
  rows.push(row);
}

const geomean = (values) => Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
const means = {
  oursNative: geomean(rows.map((r) => r.oursNative)),
  oursV8: geomean(rows.map((r) => r.oursV8)),
  wabtOurs: geomean(rows.map((r) => r.wabtOurs)),
};

const ms = (v) => (v === undefined ? '-' : v < 10 ? v.toFixed(3) : v < 100 ? v.toFixed(2) : v.toFixed(1));
const x = (v) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : '-');
const table = [['kernel', 'n', 'native ms', 'ours ms', 'V8 ms', 'wabt ms', 'ours/native', 'ours/V8', 'wabt/ours', 'checksum']];
for (const r of rows) {
  table.push([r.name, String(r.n), ms(r.native), ms(r.ours), ms(r.v8), ms(r.wabt), x(r.oursNative), x(r.oursV8), x(r.wabtOurs), String(r.checksum)]);
}
table.push(['geomean', '', '', '', '', '', x(means.oursNative), x(means.oursV8), x(means.wabtOurs), '']);
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
const line = (row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');

const met = (ok) => (ok ? 'met' : 'NOT met');
console.log(`engine benchmark, ${machine.date}, ${machine.cpu} (${machine.cores} cores)`);
console.log(`  ${machine.engine}, fuel metering ${ours.fuel_metering ? 'on' : 'off'}; native: gcc ${machine.gcc} -O2; V8: node ${machine.node}; wabt: spectest-interp ${machine.wabt}`);
const layouts = [...new Set(engineRuns.map((run) => run.dispatch_layout))];
console.log(`  dispatch loop variant chosen by the engine's calibration (per run of the binary): ${layouts.join(', ')}`);
console.log('  ms = median time of one run of the kernel with that n (wabt: process time minus the same run with n = 0)');
console.log();
table.forEach((row, i) => {
  if (i === table.length - 1) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  console.log(line(row));
  if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
});
console.log();
console.log(`instantiate  ${ours.instantiate_us.toFixed(2).padStart(8)} us  parser-shaped module (${ours.parser_module.bytes} bytes, ${ours.parser_module.functions} functions, 1 page) from a compiled Module; target <= ${targets.instantiateMicroseconds} us: ${met(ours.instantiate_us <= targets.instantiateMicroseconds)}`);
console.log(`reset        ${ours.reset_us.toFixed(2).padStart(8)} us  64 KiB instance after a 4 KiB write; target <= ${targets.resetMicroseconds} us: ${met(ours.reset_us <= targets.resetMicroseconds)}`);
console.log(`call         ${ours.call_ns.toFixed(1).padStart(8)} ns  host to guest, add(i32, i32), through Function.Call`);
console.log(`  (instantiate, reset and call: medians over the ${engineRuns.length} runs of the binary)`);
console.log(`geomean ours/native ${means.oursNative.toFixed(2)}x; target <= ${targets.geomeanOursNative}x: ${met(means.oursNative <= targets.geomeanOursNative)} (aim ${targets.geomeanOursNativeAim}x: ${met(means.oursNative <= targets.geomeanOursNativeAim)})`);

if (resultsFile) {
  writeFileSync(resultsFile, `${JSON.stringify({ machine, engine: ours, engine_runs: engineRuns, runtimes: columns, rows, geomean: means }, null, 2)}\n`);
}

if (mismatches > 0) {
  console.error(`${mismatches} checksum or n mismatches: the runtimes did not compute the same thing`);
  process.exit(1);
}
