import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { RequestHandler } from 'express';
import { parseConfig } from './config.ts';
import { createServer } from './createServer.ts';
import { createLogger } from './log.ts';
import { loadDotEnv } from './ops/envFile.ts';
import { serveMetrics } from './ops/metricsServer.ts';
import { openStore } from './persistence/openStore.ts';

// [OPS4] Before the config is read; the real environment wins over the file.
const env = loadDotEnv();
const config = parseConfig(process.env);
const log = createLogger(config.logLevel);
// [LEASE1] DATABASE_URL (postgres://…) selects the shared store; otherwise SQLite in DATA_DIR.
const store = await openStore(config, log);

// The built SvelteKit app, when there is one (pnpm start builds it; pnpm dev serves it with Vite).
const handlerFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/build/handler.js');
const webHandler = fs.existsSync(handlerFile) ? ((await import(pathToFileURL(handlerFile).href)) as { handler: RequestHandler }).handler : undefined;

const server = createServer({ config, store, log, ...(webHandler ? { webHandler } : {}) });
const address = await server.listen();

// [OPS2] Metrics on loopback only, on their own port; a port in use costs the metrics, not the app.
let metricsServer: Awaited<ReturnType<typeof serveMetrics>> | null = null;
if (config.metricsPort !== null) {
  try {
    metricsServer = await serveMetrics(
      server.metrics,
      config.metricsPort,
      () => server.ops.refreshGauges(),
      (path) => server.ops.operatorHealth(path)
    );
  } catch (error) {
    server.ops.background.record('metrics', error);
  }
}
log.info('listening', {
  url: `http://${address.address}:${address.port}`,
  app: webHandler ? 'built' : 'api only',
  data: config.databaseUrl ? 'postgres' : config.dataDir,
  node: store.nodeId,
  env: env.loaded ? env.file : 'no .env',
  metrics: metricsServer ? `http://127.0.0.1:${metricsServer.port}/metrics` : 'off'
});

// [OPS5] A failure nobody awaited is logged and counted; the process keeps serving the others.
process.on('unhandledRejection', (reason) => server.ops.background.record('unhandled', reason));

let stopping = false;
/**
 * [OPS3] SIGTERM/SIGINT: readyz 503 and no new connections, every pending write flushed, sockets
 * closed with ServerRestarting (clients reconnect at once, to us after the restart or to another
 * node), the database closed, exit 0. If that takes longer than DRAIN_TIMEOUT_MS, exit 1.
 */
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  const started = performance.now();
  log.info('draining', { signal });
  const force = setTimeout(() => {
    log.error('drain timed out; exiting', { afterMs: config.drainTimeoutMs });
    process.exit(1);
  }, config.drainTimeoutMs);
  force.unref();
  try {
    await server.drain();
    await metricsServer?.close();
    await store.close();
  } catch (error) {
    log.error('drain failed', { error: String((error as Error)?.stack ?? error) });
    process.exit(1);
  }
  log.info('drained', { ms: Math.round(performance.now() - started) });
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
