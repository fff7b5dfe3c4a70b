// `node inputs.mjs DIR FIRST COUNT` writes DIR/SEED.dat for SEED = FIRST .. FIRST+COUNT-1: the random bytes
// binaryen's `wasm-opt -ttf` turns into a module. SplitMix64 seeded with the seed, so a seed is a module
// forever (tests/Appliance.Wasm.Tests/DifferentialTests.cs makes the same bytes): the first output picks
// the length (512 to 8,703 bytes), the following outputs are the bytes, little-endian.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const mask = (1n << 64n) - 1n;

function inputBytes(seed) {
  let state = BigInt(seed) & mask;
  const next = () => {
    state = (state + 0x9e3779b97f4a7c15n) & mask;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
    return z ^ (z >> 31n);
  };
  const length = 512 + Number(next() % 8192n);
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (; at + 8 <= length; at += 8) view.setBigUint64(at, next(), true);
  if (at < length) {
    const last = next();
    for (let i = 0; at < length; at++, i++) bytes[at] = Number((last >> BigInt(8 * i)) & 0xffn);
  }
  return bytes;
}

const [dir, first, count] = process.argv.slice(2);
for (let seed = Number(first); seed < Number(first) + Number(count); seed++) {
  writeFileSync(join(dir, `${seed}.dat`), inputBytes(seed));
}
