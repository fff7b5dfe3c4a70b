// The V8 column of tests/bench/gateway: what Node needs to get a fresh, configured instance of the parser
// guest from an already compiled module, which is what a runtime without snapshot reset does where we
// reset a trapped instance. Medians of RUNS timings, after min(RUNS, 50) warm-up instantiations.
//
//   node gateway-v8.mjs GUEST.wasm TAGS.bin RUNS
//
// GUEST.wasm is `appliance guest export modbus-parser`; TAGS.bin is `appliance bench gateway-tags`, the
// benchmark's tag map lowered as configure receives it (the canonical ABI's tag record, 24 bytes each).
// Prints one JSON object: version (node's), v8, runs, tags, instantiate_us and instantiate_configure_us.
import { readFileSync } from 'node:fs';

const [wasmPath, tagsPath, runsText] = process.argv.slice(2);
const runs = Number.parseInt(runsText, 10);
if (!wasmPath || !tagsPath || !(runs >= 1)) {
  console.error('usage: node gateway-v8.mjs GUEST.wasm TAGS.bin RUNS');
  process.exit(2);
}

const tagSize = 24;
const configureName = 'ics:gateway/modbus-parser@0.1.0#configure';
const module = new WebAssembly.Module(readFileSync(wasmPath));
const tags = readFileSync(tagsPath);
if (tags.length === 0 || tags.length % tagSize !== 0) {
  console.error(`${tagsPath}: ${tags.length} bytes is not a list of ${tagSize}-byte tag records`);
  process.exit(2);
}

// A fresh instance; configured, it holds the tag map exactly as the host's configure call leaves it.
function fresh(configure) {
  const instance = new WebAssembly.Instance(module, {});
  if (configure) {
    const e = instance.exports;
    const ptr = e.cabi_realloc(0, 0, 8, tags.length);
    new Uint8Array(e.memory.buffer, ptr, tags.length).set(tags);
    const result = e[configureName](ptr, tags.length / tagSize);
    if (new Uint8Array(e.memory.buffer)[result] !== 0) {
      throw new Error('configure refused the tag map');
    }
  }

  return instance;
}

function medianMicroseconds(configure) {
  for (let i = 0; i < Math.min(runs, 50); i++) fresh(configure);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fresh(configure);
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }

  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const instantiate = medianMicroseconds(false);
const instantiateConfigure = medianMicroseconds(true);
console.log(JSON.stringify({
  version: process.version,
  v8: process.versions.v8,
  runs,
  tags: tags.length / tagSize,
  instantiate_us: instantiate,
  instantiate_configure_us: instantiateConfigure,
}));
