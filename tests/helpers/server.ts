import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseConfig } from '../../server/src/config.ts';
import { createServer, dataFile, type PairboardServer, type ServerDeps } from '../../server/src/createServer.ts';

type RequestHandler = NonNullable<ServerDeps['webHandler']>;
import { createLogger } from '../../server/src/log.ts';
import { SqliteBoardStore } from '../../server/src/persistence/SqliteBoardStore.ts';

export type TestServer = {
  url: string;
  port: number;
  dataDir: string;
  server: PairboardServer;
  store: SqliteBoardStore;
  stop(): Promise<void>;
};

/**
 * The suite drives hundreds of boards and sockets from 127.0.0.1, which the default per-address
 * limits (rightly) refuse; tests of those limits pass their own lower values in `env`.
 */
export const TEST_EDGE_LIMITS: Record<string, string> = {
  RATE_LIMIT_API_PER_MINUTE: '1000000',
  RATE_LIMIT_SEAT_PER_MINUTE: '1000000',
  RATE_LIMIT_BOARDS_PER_HOUR: '1000000',
  MAX_ANONYMOUS_SOCKETS_PER_IP: '100000',
  MAX_SOCKETS_PER_IP: '100000',
  MAX_SOCKETS_PER_SEAT: '1000'
};

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'pairboard-test-'));
}

const handlerFile = path.resolve(import.meta.dirname, '../../web/build/handler.js');

/**
 * A real server on 127.0.0.1 with a real SQLite file (the one-node store, as `pnpm start` runs it
 * without DATABASE_URL); `port` reuses one (for restarts).
 */
export async function startServer(
  options: {
    dataDir?: string;
    port?: number;
    withWeb?: boolean;
    env?: Record<string, string>;
    yjsLimits?: ServerDeps['yjsLimits'];
    /** false: a second node on the same file, which must not take the first one's boards [LEASE13]. */
    takeOverLeases?: boolean;
    /** Tests that read the logs (a secret must never be in them) lower it. */
    logLevel?: 'debug' | 'info' | 'warn';
  } = {}
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config = parseConfig({
    DATA_DIR: dataDir,
    PORT: String(options.port ?? 0),
    LOG_LEVEL: 'warn',
    ORIGIN: 'http://test.invalid',
    ...TEST_EDGE_LIMITS,
    ...options.env
  });
  const store = new SqliteBoardStore(dataFile(config), { nodeId: config.nodeId });
  // As server/src/persistence/openStore.ts does for SQLite: a restart takes the boards over at once.
  if (options.takeOverLeases ?? true) await store.expireAllLeases();
  let webHandler: RequestHandler | undefined;
  if (options.withWeb) {
    if (!fs.existsSync(handlerFile)) throw new Error('web/build is missing: run `pnpm build` first');
    webHandler = ((await import(pathToFileURL(handlerFile).href)) as { handler: RequestHandler }).handler;
  }
  const server = createServer({
    config,
    store,
    log: createLogger(options.logLevel ?? 'warn'),
    ...(webHandler ? { webHandler } : {}),
    ...(options.yjsLimits ? { yjsLimits: options.yjsLimits } : {})
  });
  const address = await server.listen(options.port ?? 0, '127.0.0.1');
  const url = `http://127.0.0.1:${address.port}`;
  let stopped = false;
  return {
    url,
    port: address.port,
    dataDir,
    server,
    store,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      await store.close();
    }
  };
}
