/**
 * Where a connected board's heap goes: starts a server as the bench does, connects warm pairs,
 * takes a heap snapshot, connects `--pairs` more, takes another, and prints the difference per
 * board by constructor (self size, count). Profiling only; not part of `pnpm bench`.
 *
 *   node --import tsx tests/bench/heapProfile.ts --kind pairboard --pairs 200 [--keep /tmp/heap]
 *   … --type 600   then both partners type 600 keystrokes each: the typed documents' difference
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LoadProcess } from './loadProcess.ts';
import { request } from './processes.ts';
import { startTarget, type ServerKind } from './targets.ts';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const kind = option('kind', 'pairboard') as ServerKind;
const pairs = Number(option('pairs', '200'));
const typeChars = Number(option('type', '0'));
const dir = option('keep', fs.mkdtempSync(path.join(os.tmpdir(), 'pairboard-heap-')));
fs.mkdirSync(dir, { recursive: true });

type Totals = Map<string, { size: number; count: number }>;

/** Self size and count per "type name" of a .heapsnapshot. */
function totalsOf(file: string): Totals {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const totals: Totals = new Map();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + iType!]!]!;
    const name = type === 'object' || type === 'native' || type === 'closure' ? snap.strings[snap.nodes[i + iName!]!]! : '';
    const key = `${type} ${name.slice(0, 60)}`;
    const t = totals.get(key) ?? { size: 0, count: 0 };
    t.size += snap.nodes[i + iSize!]!;
    t.count++;
    totals.set(key, t);
  }
  return totals;
}

const target = await startTarget(kind, null);
const load = await LoadProcess.start(null);
try {
  const snapshot = async (name: string) => {
    const file = path.join(dir, `${kind}-${name}.heapsnapshot`);
    await request(target.children[0]!, { type: 'heapsnapshot', id: 1, path: file }, 120_000, (r) => r?.type === 'heapsnapshot');
    return file;
  };
  await load.send({ cmd: 'setup', kind, url: target.url, pairs: 5, warm: true }, 60_000);
  await load.send({ cmd: 'type', chars: 300, window: 4, timeoutMs: 30_000, warm: true }, 40_000);
  const before = totalsOf(await snapshot('warm'));
  await load.send({ cmd: 'setup', kind, url: target.url, pairs }, 300_000);
  let before2 = before;
  let after = totalsOf(await snapshot('connected'));
  if (typeChars > 0) {
    await load.send({ cmd: 'type', chars: typeChars, window: 4, timeoutMs: 120_000 }, 150_000);
    before2 = after;
    after = totalsOf(await snapshot('typed'));
  }
  const rows = [...after].map(([key, a]) => {
    const b = before2.get(key) ?? { size: 0, count: 0 };
    return { key, bytes: (a.size - b.size) / pairs, count: (a.count - b.count) / pairs };
  });
  const total = rows.reduce((s, r) => s + r.bytes, 0);
  console.log(
    `${kind}: ${(total / 1024).toFixed(1)} KB per ${typeChars ? 'typed board (documents)' : 'connected board'} (snapshot self sizes), snapshots in ${dir}`
  );
  for (const r of rows.sort((x, y) => y.bytes - x.bytes).slice(0, 45)) {
    console.log(`${(r.bytes / 1024).toFixed(2).padStart(8)} KB ${r.count.toFixed(1).padStart(7)} × ${r.key}`);
  }
} finally {
  await load.stop();
  await target.stop();
}
