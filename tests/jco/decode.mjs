// Runs the modbus-parser guest as a WASI 0.2 component under Node (V8), through the bindings jco
// generated from wit/modbus-parser.wit, and prints each outcome as canonical bytes that the host's own
// engine must reproduce byte for byte.
//
//   tests/jco/component modbus-parser.wasm wit/modbus-parser.wit modbus-sandbox OUTDIR
//   node tests/jco/decode.mjs OUTDIR [NAME] < cases.jsonl
//
// NAME is the core module's file name without .wasm, which tests/jco/component gave the bindings
// (OUTDIR/NAME.js): modbus-parser (the default) or modbus-parser-c.
//
// One case a line on stdin (blank lines are skipped):
//   {"tags":[{"address":0,"kind":"float32","byteSwap":false,"wordSwap":true,"bit":0,"length":2,
//             "scale":1,"offset":0}, ...],
//    "request":{"transaction":1,"unit":1,"function":3,"address":0,"quantity":10},
//    "adu":"<hex>"}
// kind is a case of the WIT enum `kind`; scale and offset may also be the strings "NaN", "Infinity" and
// "-Infinity". `configure` is called only when the tags differ from the previous case's (or the previous
// configure failed), then `decode`. One line out per case: `config-error TAG PROBLEM` when configure
// refuses the tags, else the lowercase hex of the canonical outcome bytes:
//
//   ok:  00, count u32 LE, then per reading: tag u32 LE, quality u8 (0 good, 1 not-finite, 2 not-text),
//        value case u8 (0 boolean, 1 signed, 2 unsigned, 3 real, 4 text), payload:
//        boolean u8 0/1 | signed i64 LE | unsigned u64 LE | real: the f64's IEEE bits LE |
//        text: length u32 LE + UTF-8 bytes
//   err: 01, decode-error case u8 (WIT order), payload u32 LE (0 if none)
//
// How jco 1.10.2 maps the WIT types (see the generated .d.ts): an export returning result<T, E> returns T
// or throws a ComponentError whose `payload` is E; variants are {tag, val}; enums are their case names;
// flags are objects of booleans; s64 and u64 are BigInt. A trap is reported as `trap MESSAGE`, and ends
// the run with exit code 1.
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const QUALITIES = ['good', 'not-finite', 'not-text'];
const VALUES = ['boolean', 'signed', 'unsigned', 'real', 'text'];
const DECODE_ERRORS = [
  'not-configured', 'bad-request', 'truncated', 'protocol-id', 'length-out-of-range', 'length-mismatch',
  'transaction-mismatch', 'unit-mismatch', 'function-mismatch', 'exception', 'bad-exception',
  'byte-count-mismatch',
];

if (process.argv.length !== 3 && process.argv.length !== 4) {
  console.error('usage: node decode.mjs OUTDIR [NAME] < cases.jsonl (OUTDIR from tests/jco/component, NAME its module name)');
  process.exit(2);
}
const bindings = resolve(process.argv[2], `${process.argv[3] ?? 'modbus-parser'}.js`);
const { modbusParser } = await import(pathToFileURL(bindings).href);

/** Appends bytes to a growing buffer, little-endian. */
class Bytes {
  #buffer = new Uint8Array(256);
  #view = new DataView(this.#buffer.buffer);
  length = 0;

  #room(n) {
    if (this.length + n <= this.#buffer.length) return;
    const bigger = new Uint8Array(Math.max(2 * this.#buffer.length, this.length + n));
    bigger.set(this.#buffer);
    this.#buffer = bigger;
    this.#view = new DataView(bigger.buffer);
  }

  u8(v) { this.#room(1); this.#view.setUint8(this.length, v); this.length += 1; }
  u32(v) { this.#room(4); this.#view.setUint32(this.length, v, true); this.length += 4; }
  i64(v) { this.#room(8); this.#view.setBigInt64(this.length, v, true); this.length += 8; }
  u64(v) { this.#room(8); this.#view.setBigUint64(this.length, v, true); this.length += 8; }
  f64(v) { this.#room(8); this.#view.setFloat64(this.length, v, true); this.length += 8; }
  raw(bytes) { this.#room(bytes.length); this.#buffer.set(bytes, this.length); this.length += bytes.length; }
  hex() { return Buffer.from(this.#buffer.subarray(0, this.length)).toString('hex'); }
}

function index(list, name, what) {
  const i = list.indexOf(name);
  if (i < 0) throw new Error(`unknown ${what} "${name}" from the bindings`);
  return i;
}

function outcomeOk(readings) {
  const out = new Bytes();
  out.u8(0);
  out.u32(readings.length);
  for (const { tag, quality, value } of readings) {
    out.u32(tag);
    out.u8(index(QUALITIES, quality, 'quality'));
    out.u8(index(VALUES, value.tag, 'value case'));
    switch (value.tag) {
      case 'boolean': out.u8(value.val ? 1 : 0); break;
      case 'signed': out.i64(value.val); break;
      case 'unsigned': out.u64(value.val); break;
      case 'real': out.f64(value.val); break;
      case 'text': {
        const utf8 = new TextEncoder().encode(value.val);
        out.u32(utf8.length);
        out.raw(utf8);
        break;
      }
    }
  }
  return out.hex();
}

function outcomeErr(error) {
  const out = new Bytes();
  out.u8(1);
  out.u8(index(DECODE_ERRORS, error.tag, 'decode-error case'));
  out.u32(error.val ?? 0);
  return out.hex();
}

function number(v) {
  return typeof v === 'string' ? Number(v) : v;
}

function witTag(t) {
  return {
    address: t.address,
    kind: t.kind,
    order: { byteSwap: Boolean(t.byteSwap), wordSwap: Boolean(t.wordSwap) },
    bit: t.bit ?? 0,
    length: t.length,
    scale: number(t.scale ?? 1),
    offset: number(t.offset ?? 0),
  };
}

function adu(hex) {
  if (typeof hex !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(hex)) {
    throw new Error(`"adu" must be a string of hex byte pairs, not ${JSON.stringify(hex)}`);
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Is this a ComponentError (the err of a result), rather than a trap or a bindings error? */
function payloadOf(e) {
  return e !== null && typeof e === 'object' && Object.hasOwn(e, 'payload') ? e.payload : undefined;
}

let configured = null; // the tags (as JSON) of the last successful configure
const lines = [];
let lineNumber = 0;
try {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    lineNumber += 1;
    if (line.trim() === '') continue;
    const c = JSON.parse(line);
    const tagsJson = JSON.stringify(c.tags);
    if (tagsJson !== configured) {
      configured = null;
      try {
        modbusParser.configure(c.tags.map(witTag));
        configured = tagsJson;
      } catch (e) {
        const error = payloadOf(e);
        if (error === undefined) throw e;
        lines.push(`config-error ${error.tag} ${error.problem}`);
        continue;
      }
    }
    try {
      lines.push(outcomeOk(modbusParser.decode(c.request, adu(c.adu))));
    } catch (e) {
      const error = payloadOf(e);
      if (error === undefined) throw e;
      lines.push(outcomeErr(error));
    }
  }
} catch (e) {
  if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n');
  if (e instanceof WebAssembly.RuntimeError) {
    process.stdout.write(`trap ${e.message}\n`);
  }
  console.error(`decode.mjs: stdin line ${lineNumber}: ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}
if (lines.length > 0) process.stdout.write(lines.join('\n') + '\n');
