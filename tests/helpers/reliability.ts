import fs from 'node:fs';
import path from 'node:path';

/**
 * One row of README's reliability table: a scenario, what the test actually did, and the figure it
 * measured. Any test (integration, fuzz, edge cases) records its own row; `pnpm reliability`
 * (tests/reliability/render.ts) turns the latest row per scenario into the README table.
 */
export type ReliabilityRow = {
  /** What could go wrong, e.g. "SIGTERM while two partners type". Rows are keyed by it: keep it stable. */
  scenario: string;
  /** What the test did to provoke it, e.g. "2 clients × 200 edits, SIGTERM mid-typing, restart". */
  tried: string;
  /** What was measured, e.g. "exit 0 in 0.4 s, 0 of 400 edits lost". */
  figure: string;
  /** SPEC rule ids the row is evidence for, e.g. ['OPS3']. */
  rules?: string[];
};

export const RELIABILITY_RESULTS = path.resolve(import.meta.dirname, '../reliability/results.jsonl');

/**
 * Appends a row to tests/reliability/results.jsonl. One JSON line per call, appended with
 * O_APPEND, so test files running in parallel workers never overwrite each other's rows.
 * Call it only after the test's assertions passed, so a failing run records nothing.
 */
export function recordReliability(row: ReliabilityRow): void {
  const line = JSON.stringify({ ...row, at: new Date().toISOString() });
  fs.mkdirSync(path.dirname(RELIABILITY_RESULTS), { recursive: true });
  fs.appendFileSync(RELIABILITY_RESULTS, `${line}\n`);
}
