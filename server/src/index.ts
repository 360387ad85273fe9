import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RequestHandler } from 'express';
import { parseConfig } from './config.ts';
import { createServer, dataFile } from './createServer.ts';
import { createLogger } from './log.ts';
import { SqliteStore } from './persistence/SqliteStore.ts';

const config = parseConfig(process.env);
const log = createLogger(config.logLevel);
const store = new SqliteStore(dataFile(config));

// The built SvelteKit app, when there is one (pnpm start builds it; pnpm dev serves it with Vite).
const handlerFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/build/handler.js');
const webHandler = fs.existsSync(handlerFile)
  ? ((await import(pathToFileURL(handlerFile).href)) as { handler: RequestHandler }).handler
  : undefined;

const server = createServer({ config, store, log, ...(webHandler ? { webHandler } : {}) });
const address = await server.listen();
log.info('listening', { url: `http://${address.address}:${address.port}`, app: webHandler ? 'built' : 'api only', data: config.dataDir });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info('shutting down', { signal });
  const force = setTimeout(() => process.exit(1), 5_000);
  force.unref();
  await server.close();
  store.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
