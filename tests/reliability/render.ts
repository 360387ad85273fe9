// `pnpm reliability`: renders tests/reliability/results.jsonl (rows appended by the test suite via
// tests/helpers/reliability.ts) as the table between the reliability markers in README.md, keeping
// only the latest row per scenario, and rewrites the results file compacted to those rows.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RELIABILITY_RESULTS, type ReliabilityRow } from '../helpers/reliability.ts';

type StoredRow = ReliabilityRow & { at: string };

const README = path.resolve(import.meta.dirname, '../../README.md');
const START = '<!-- reliability:start -->';
const END = '<!-- reliability:end -->';

export function latestRows(text: string): StoredRow[] {
  const byScenario = new Map<string, StoredRow>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const row = JSON.parse(line) as StoredRow;
      if (typeof row.scenario !== 'string' || typeof row.figure !== 'string') continue;
      byScenario.delete(row.scenario); // re-insert so order follows the latest run
      byScenario.set(row.scenario, row);
    } catch {
      // a torn line from an interrupted run: skip it, the next run records the row again
    }
  }
  return [...byScenario.values()];
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

export function renderTable(rows: StoredRow[]): string {
  const lines = ['| scenario | what was tried | figure | rules |', '|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${cell(r.scenario)} | ${cell(r.tried)} | ${cell(r.figure)} | ${(r.rules ?? []).join(', ')} |`);
  const newest = rows.map((r) => r.at).sort().at(-1);
  return `${lines.join('\n')}\n\nRecorded by \`pnpm test\`${newest ? `, latest row ${newest.slice(0, 16).replace('T', ' ')} UTC` : ''}; regenerate with \`pnpm reliability\`.`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const text = fs.existsSync(RELIABILITY_RESULTS) ? fs.readFileSync(RELIABILITY_RESULTS, 'utf8') : '';
  const rows = latestRows(text);
  fs.writeFileSync(RELIABILITY_RESULTS, rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : ''));
  const readme = fs.readFileSync(README, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} section`);
  fs.writeFileSync(README, `${readme.slice(0, start + START.length)}\n${renderTable(rows)}\n${readme.slice(end)}`);
  console.log(`README reliability table: ${rows.length} scenarios`);
}
