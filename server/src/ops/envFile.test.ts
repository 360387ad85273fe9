import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadDotEnv } from './envFile.ts';

afterEach(() => {
  delete process.env.PAIRBOARD_TEST_FROM_FILE;
  delete process.env.PAIRBOARD_TEST_REAL_WINS;
});

it('[OPS4] loads .env when there is one; the real environment wins', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairboard-env-'));
  const file = path.join(dir, '.env');
  fs.writeFileSync(file, '# comment\nPAIRBOARD_TEST_FROM_FILE=from-file\nPAIRBOARD_TEST_REAL_WINS=from-file\n');
  process.env.PAIRBOARD_TEST_REAL_WINS = 'real';
  expect(loadDotEnv(file)).toEqual({ loaded: true, file });
  expect(process.env.PAIRBOARD_TEST_FROM_FILE).toBe('from-file');
  expect(process.env.PAIRBOARD_TEST_REAL_WINS).toBe('real');
});

it('[OPS4] starts without a .env file', () => {
  const file = path.join(os.tmpdir(), 'pairboard-no-such-dir', '.env');
  expect(loadDotEnv(file)).toEqual({ loaded: false, file });
});
