// The V8 side of the differential test: `node run-v8.mjs FILE.wasm...` prints, for each module, a line
// `== FILE` and its transcript, in exactly the format of our engine's `appliance wasm fuzz-exec`
// (appliance/Appliance.Wasm/Conformance/FuzzExec.cs documents it): binaryen's --fuzz-exec harness.
// Every function export is called in export order with zero arguments on one instance (also after a
// trap); an export `hangLimitInitializer` is called silently before each; fuzzing-support.log-* log.
// Node 20, no packages.
import { readFileSync } from 'node:fs';

const f32 = new Float32Array(1);
const f32Bits = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Bits = new BigUint64Array(f64.buffer);

function format(value, type) {
  switch (type) {
    case 'i32':
      return `i32:${value | 0}`;
    case 'i64':
      return `i64:${BigInt.asIntN(64, value)}`;
    case 'f32':
      if (Number.isNaN(value)) return 'f32:nan';
      f32[0] = value;
      return `f32:0x${f32Bits[0].toString(16).padStart(8, '0')}`;
    case 'f64':
      if (Number.isNaN(value)) return 'f64:nan';
      f64[0] = value;
      return `f64:0x${f64Bits[0].toString(16).padStart(16, '0')}`;
    case 'funcref':
      return value === null ? 'funcref:null' : 'funcref:func';
    case 'externref':
      return value === null ? 'externref:null' : 'externref:host';
    default:
      return `${type}:?`;
  }
}

// The JavaScript API does not say an export's signature (type reflection is not on by default in
// Node 20), so the module's own type and function sections are read for it.
function exportSignatures(bytes) {
  let at = 8;
  const byte = () => bytes[at++];
  const u32 = () => {
    let result = 0, shift = 0, b;
    do {
      b = byte();
      result += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    return result;
  };
  const name = () => {
    const length = u32();
    const text = new TextDecoder().decode(bytes.subarray(at, at + length));
    at += length;
    return text;
  };
  const valueTypes = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x70: 'funcref', 0x6f: 'externref', 0x7b: 'v128' };
  const types = [];
  const functions = [];
  const signatures = new Map();
  const limits = () => {
    const flags = byte();
    u32();
    if (flags & 1) u32();
  };
  while (at < bytes.length) {
    const id = byte();
    const size = u32();
    const end = at + size;
    if (id === 1) {
      for (let n = u32(); n > 0; n--) {
        byte(); // 0x60
        const params = Array.from({ length: u32() }, () => valueTypes[byte()]);
        const results = Array.from({ length: u32() }, () => valueTypes[byte()]);
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = u32(); n > 0; n--) {
        name();
        name();
        const kind = byte();
        if (kind === 0) functions.push(types[u32()]);
        else if (kind === 1) { byte(); limits(); }
        else if (kind === 2) limits();
        else { byte(); byte(); }
      }
    } else if (id === 3) {
      for (let n = u32(); n > 0; n--) functions.push(types[u32()]);
    } else if (id === 7) {
      for (let n = u32(); n > 0; n--) {
        const exportName = name();
        const kind = byte();
        const index = u32();
        if (kind === 0) signatures.set(exportName, functions[index]);
      }
    }
    at = end;
  }
  return signatures;
}

function zero(type) {
  switch (type) {
    case 'i64': return 0n;
    case 'funcref':
    case 'externref': return null;
    default: return 0;
  }
}

function call(fn, signature) {
  try {
    const value = fn(...signature.params.map(zero));
    const values = signature.results.length === 1 ? [value] : signature.results.length === 0 ? [] : [...value];
    return ['return', ...values.map((v, i) => format(v, signature.results[i]))].join(' ');
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) return 'trap';
    if (error instanceof RangeError && /call stack/i.test(error.message)) return 'exhausted';
    return `error ${error && error.constructor && error.constructor.name}: ${error && error.message}`;
  }
}

function transcriptOf(bytes) {
  let module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch {
    return 'invalid\n';
  }
  const lines = [];
  const logTypes = { 'log-i32': 'i32', 'log-i64': 'i64', 'log-f32': 'f32', 'log-f64': 'f64' };
  const imports = {};
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    if (from === 'fuzzing-support' && kind === 'function' && logTypes[name]) {
      imports[from] ??= {};
      imports[from][name] = (...args) => { lines.push(['log', ...args.map((v) => format(v, logTypes[name]))].join(' ')); };
    }
  }
  let instance;
  try {
    instance = new WebAssembly.Instance(module, imports);
  } catch {
    return 'uninstantiable\n';
  }
  const signatures = exportSignatures(bytes);
  const hangLimitInitializer = typeof instance.exports.hangLimitInitializer === 'function' ? instance.exports.hangLimitInitializer : null;
  for (const { name, kind } of WebAssembly.Module.exports(module)) {
    if (kind !== 'function') continue;
    if (hangLimitInitializer) {
      const length = lines.length;
      call(hangLimitInitializer, signatures.get('hangLimitInitializer'));
      lines.length = length;
    }
    lines.push(`call ${name}`);
    lines.push(call(instance.exports[name], signatures.get(name)));
  }
  return lines.map((line) => line + '\n').join('');
}

for (const file of process.argv.slice(2)) {
  process.stdout.write(`== ${file}\n${transcriptOf(readFileSync(file))}`);
}
