import type { Config } from '../config.ts';
import { dataFile } from '../createServer.ts';
import type { Logger } from '../log.ts';
import type { BoardStore } from './BoardStore.ts';
import { PostgresStore } from './PostgresStore.ts';
import { SqliteBoardStore } from './SqliteBoardStore.ts';

/**
 * [LEASE1] The store a node runs on: PostgresStore when DATABASE_URL names a postgres:// database
 * (several nodes share it), else the embedded SQLite file in DATA_DIR (one node).
 */
export async function openStore(config: Config, log: Logger): Promise<BoardStore> {
  if (config.databaseUrl) {
    const store = await PostgresStore.open({ connectionString: config.databaseUrl, nodeId: config.nodeId, log: log.child('postgres') });
    if (store.migration.applied.length > 0) log.info('database migrated', { ...store.migration });
    return store;
  }
  const store = new SqliteBoardStore(dataFile(config), { nodeId: config.nodeId });
  if (store.migration.applied.length > 0) log.info('database migrated', { ...store.migration });
  // One node on one file: a previous process's leases (crash, restart) are taken over at once.
  await store.expireAllLeases();
  return store;
}
