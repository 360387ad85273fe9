import fs from 'node:fs';
import path from 'node:path';

/**
 * [OPS4] Reads `.env` from the working directory into process.env when there is one, with Node's
 * own parser (process.loadEnvFile). A variable already set in the real environment wins: the file
 * holds defaults for a machine, the environment overrides them for one run.
 */
export function loadDotEnv(file = path.resolve('.env')): { loaded: boolean; file: string } {
  if (!fs.existsSync(file)) return { loaded: false, file };
  process.loadEnvFile(file);
  return { loaded: true, file };
}
