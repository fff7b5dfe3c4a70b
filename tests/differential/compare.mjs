// `node compare.mjs OURS V8` compares two batches of transcripts (`== FILE` headers, the format of
// appliance/Appliance.Wasm/Conformance/FuzzExec.cs) module by module, with FuzzExec.Compare's rule: equal
// export by export, and at the first export where either side exhausted its stack the rest is not compared
// (the engines' stack limits differ). Prints one line per module: `same FILE`, `skipped FILE: why` or
// `divergent FILE: first difference`.
import { readFileSync } from 'node:fs';

function modules(path) {
  const result = new Map();
  let current = null;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('== ')) {
      current = [];
      result.set(line.slice(3), current);
    } else if (line !== '' && current) {
      current.push(line);
    }
  }
  return result;
}

function blocks(lines) {
  const result = [];
  for (const line of lines) {
    if (line.startsWith('call ') || result.length === 0) result.push([]);
    result[result.length - 1].push(line);
  }
  return result;
}

function compare(ours, theirs) {
  const left = blocks(ours), right = blocks(theirs);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const a = left[i] ?? [], b = right[i] ?? [];
    if (a.length > 0 && b.length > 0 && a[0] === b[0] && (a.at(-1) === 'exhausted' || b.at(-1) === 'exhausted')) {
      return ['skipped', `${a[0]}: exhausted the stack; the rest is not compared`];
    }
    for (let line = 0; line < Math.max(a.length, b.length); line++) {
      const x = a[line] ?? '(nothing)', y = b[line] ?? '(nothing)';
      if (x !== y) return ['divergent', `${a[0] ?? b[0]}: line ${line + 1}: ours "${x}", theirs "${y}"`];
    }
  }
  return ['same', ''];
}

const [oursPath, theirsPath] = process.argv.slice(2);
const ours = modules(oursPath), theirs = modules(theirsPath);
for (const file of new Set([...ours.keys(), ...theirs.keys()])) {
  if (!ours.has(file) || !theirs.has(file)) {
    console.log(`divergent ${file}: no transcript from ${ours.has(file) ? 'V8' : 'our engine'}`);
    continue;
  }
  const [verdict, detail] = compare(ours.get(file), theirs.get(file));
  console.log(detail ? `${verdict} ${file}: ${detail}` : `${verdict} ${file}`);
}
