/**
 * vitest globalSetup of the integration project: compiles the server once before any test file,
 * so tests that spawn the production entry point (serverProcess.ts) run what `pnpm start` runs.
 */
import { buildServer } from '../../server/scripts/buildServer.mjs';

export default async function setup(): Promise<void> {
  await buildServer();
}
