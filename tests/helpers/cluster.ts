import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { PROTOCOL_VERSION, SOCKET_IO_PATH, YJS_PATH, roomName, type DocName } from '@pairboard/shared';
import type { BoardSocketClient, DocClient, Partner } from './clients.ts';
import { haproxyBinary, startHaproxy, type TestHaproxy } from './haproxy.ts';
import { freePort } from './ports.ts';
import { postgresBinDir, startPostgres, type TestPostgres } from './postgres.ts';
import { TEST_EDGE_LIMITS } from './server.ts';

/**
 * A whole deployment on loopback, all real processes: a throw-away Postgres cluster, two
 * pairboard nodes (`node --import tsx server/src/index.ts`: the sources `pnpm start` compiles) and HAProxy
 * with the shipped deploy/haproxy.cfg in front. Nodes keep their port across restarts, so the
 * proxy finds a restarted node where it was.
 *
 * `store: 'sqlite'` gives each node its own SQLite file instead (no shared database): enough to
 * test routing, since a board then exists on exactly one node.
 *
 * Missing postgres or haproxy binaries FAIL with a message naming the package: never a skip.
 * Teardown always runs: `stop()` kills what started, a failed start cleans up what it got to,
 * and the test process exiting takes every child with it.
 */

const root = path.resolve(import.meta.dirname, '../..');

export type ClusterStore = 'postgres' | 'sqlite';

export type ClusterNode = {
  /** NODE_ID, also the server name in deploy/haproxy.cfg (node1, node2). */
  readonly id: string;
  readonly port: number;
  /** host:port as HAProxy sees it. */
  readonly address: string;
  /** http://127.0.0.1:<port>, the node itself, bypassing the proxy. */
  readonly url: string;
  running(): boolean;
  /** Starts (or restarts) the node on its port; resolves once it listens. */
  start(): Promise<void>;
  /** kill -9: no drain, no lease release. */
  kill(): Promise<void>;
  /** SIGTERM (drain); resolves with the exit code and how long the drain took. */
  terminate(): Promise<{ code: number | null; ms: number }>;
  /** Everything the node logged (all of its runs). */
  log(): string;
  /** The node's current process (null before the first start), e.g. for the bench's stats channel. */
  process(): ChildProcess | null;
  /** GET /healthz on the node itself. */
  health(): Promise<{ loadedRooms: number; connections: { yjs: number; socketio: number } } & Record<string, unknown>>;
};

export type TestCluster = {
  /** The proxy: what clients use. */
  url: string;
  proxy: TestHaproxy;
  nodes: [ClusterNode, ClusterNode];
  store: ClusterStore;
  /** The shared database (Postgres only). */
  databaseUrl: string | null;
  /** Runs a query on the shared database (Postgres only). */
  query<R extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** The node holding a board's lease, from the database (Postgres only). */
  leaseOf(boardId: string): Promise<{ nodeId: string; epoch: number; live: boolean } | null>;
  /** Resolves once HAProxy has logged the node as UP/DOWN this many times in all (see proxyMarks). */
  waitForProxyMark(node: ClusterNode, state: 'UP' | 'DOWN', count: number, timeoutMs?: number): Promise<void>;
  /** How often HAProxy has logged the node as UP/DOWN so far. */
  proxyMarks(node: ClusterNode, state: 'UP' | 'DOWN'): number;
  stop(): Promise<void>;
};

export type ClusterOptions = {
  store?: ClusterStore;
  /** LEASE_TTL_MS of both nodes (the default is the production lease, 15 s). */
  leaseTtlMs?: number;
  /** Extra environment for both nodes. */
  env?: Record<string, string>;
  /** The checkout whose server/src/index.ts the nodes run (default: this one). */
  root?: string;
  /** Node flags after tsx's loader, before the entry point (the bench: --expose-gc, its stats preload, --cpu-prof). */
  nodeArgs?: string[];
  /** Spawn each node with an IPC channel (the bench's stats channel answers over it). */
  ipc?: boolean;
};

/** Fails loudly, before anything starts, when a binary the cluster needs is not installed. */
export function assertClusterBinaries(store: ClusterStore): void {
  haproxyBinary();
  if (store === 'postgres') postgresBinDir();
}

const MAX_LOG = 2_000_000;

type NodeSpawn = { nodeArgs: string[]; ipc: boolean };

function startableNode(id: string, port: number, cwd: string, env: () => Record<string, string>, how: NodeSpawn): ClusterNode {
  let child: ChildProcess | null = null;
  let log = '';
  const url = `http://127.0.0.1:${port}`;
  const alive = () => child !== null && child.exitCode === null && child.signalCode === null;
  const exited = (c: ChildProcess) =>
    new Promise<number | null>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve(c.exitCode);
      c.once('exit', (code) => resolve(code));
    });

  return {
    id,
    port,
    address: `127.0.0.1:${port}`,
    url,
    running: alive,
    async start() {
      if (alive()) throw new Error(`${id} is already running`);
      const started = spawn(process.execPath, ['--import', 'tsx', ...how.nodeArgs, 'server/src/index.ts'], {
        cwd,
        env: { ...process.env, ...env(), NODE_ID: id, PORT: String(port) },
        stdio: how.ipc ? ['ignore', 'ignore', 'pipe', 'ipc'] : ['ignore', 'ignore', 'pipe']
      });
      child = started;
      const runStart = log.length;
      started.stderr!.on('data', (chunk: Buffer) => {
        if (log.length < MAX_LOG) log += chunk.toString();
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          started.kill('SIGKILL');
          reject(new Error(`${id} did not start within 30 s:\n${log.slice(runStart)}`));
        }, 30_000);
        const onData = () => {
          if (/"msg":"listening"/.test(log.slice(runStart))) {
            clearTimeout(timer);
            started.stderr!.off('data', onData);
            started.off('exit', onExit);
            resolve();
          }
        };
        const onExit = (code: number | null) => {
          clearTimeout(timer);
          reject(new Error(`${id} exited with ${code} while starting:\n${log.slice(runStart)}`));
        };
        started.stderr!.on('data', onData);
        started.once('exit', onExit);
      });
    },
    async kill() {
      if (!child || !alive()) return;
      const done = exited(child);
      child.kill('SIGKILL');
      await done;
    },
    async terminate() {
      if (!child || !alive()) return { code: child?.exitCode ?? null, ms: 0 };
      const begun = performance.now();
      const done = exited(child);
      child.kill('SIGTERM');
      const code = await done;
      return { code, ms: Math.round(performance.now() - begun) };
    },
    log: () => log,
    process: () => child,
    async health() {
      const res = await fetch(`${url}/healthz`);
      return (await res.json()) as Awaited<ReturnType<ClusterNode['health']>>;
    }
  };
}

export async function startCluster(options: ClusterOptions = {}): Promise<TestCluster> {
  const store = options.store ?? 'postgres';
  assertClusterBinaries(store);

  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  const runCleanups = async () => {
    for (const fn of cleanups.splice(0).reverse()) await Promise.resolve(fn()).catch(() => {});
  };
  const nodes: ClusterNode[] = [];
  // Whatever happens to the test, no node outlives the test process.
  const killAll = () => {
    for (const node of nodes) if (node.running()) void node.kill();
  };
  process.once('exit', killAll);

  try {
    let postgres: TestPostgres | null = null;
    let databaseUrl: string | null = null;
    let pool: pg.Pool | null = null;
    if (store === 'postgres') {
      postgres = await startPostgres();
      cleanups.push(() => postgres!.stop());
      databaseUrl = await postgres.createDatabase('pairboard');
      pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
      cleanups.push(() => pool!.end());
    }

    const [proxyPort, port1, port2] = [await freePort(), await freePort(), await freePort()];
    const proxyUrl = `http://127.0.0.1:${proxyPort}`;
    const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'pairboard-cluster-'));
    cleanups.push(() => fs.rmSync(dataRoot, { recursive: true, force: true }));

    const envOf = (id: string) => (): Record<string, string> => ({
      HOST: '127.0.0.1',
      // Only used by the SQLite store; with DATABASE_URL set it stays empty.
      DATA_DIR: path.join(dataRoot, id),
      LOG_LEVEL: 'info',
      METRICS_PORT: 'off',
      // The page and every socket come through the proxy, so its origin is the node's public one;
      // the proxy's X-Forwarded-For names the client.
      ORIGIN: proxyUrl,
      TRUST_PROXY: 'loopback',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...(options.leaseTtlMs ? { LEASE_TTL_MS: String(options.leaseTtlMs) } : {}),
      ...TEST_EDGE_LIMITS,
      ...options.env
    });
    const how: NodeSpawn = { nodeArgs: options.nodeArgs ?? [], ipc: options.ipc ?? false };
    nodes.push(
      startableNode('node1', port1, options.root ?? root, envOf('node1'), how),
      startableNode('node2', port2, options.root ?? root, envOf('node2'), how)
    );
    cleanups.push(async () => {
      for (const node of nodes) await node.kill();
    });
    // One after the other: both would run the migrations at once (safe [LEASE6], but slower here).
    for (const node of nodes) await node.start();

    const proxy = await startHaproxy({ node1: nodes[0]!.address, node2: nodes[1]!.address, port: proxyPort });
    cleanups.push(() => proxy.stop());

    const marks = (node: ClusterNode, state: 'UP' | 'DOWN') => proxy.log().split(`nodes/${node.id} is ${state}`).length - 1;
    const query = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> => {
      if (!pool) throw new Error('this cluster runs on SQLite: there is no shared database to query');
      return (await pool.query<R>(sql, params)).rows;
    };

    return {
      url: proxyUrl,
      proxy,
      nodes: nodes as [ClusterNode, ClusterNode],
      store,
      databaseUrl,
      query,
      async leaseOf(boardId) {
        const rows = await query<{ node_id: string; epoch: string; live: boolean }>(
          'SELECT node_id, epoch, expires_at > now() AS live FROM board_leases WHERE board_id = $1',
          [boardId]
        );
        const row = rows[0];
        return row ? { nodeId: row.node_id, epoch: Number(row.epoch), live: row.live } : null;
      },
      proxyMarks: marks,
      async waitForProxyMark(node, state, count, timeoutMs = 15_000) {
        const deadline = Date.now() + timeoutMs;
        while (marks(node, state) < count) {
          if (Date.now() > deadline)
            throw new Error(`HAProxy did not mark ${node.id} ${state} (${count}) within ${timeoutMs} ms:\n${proxy.log().slice(-2000)}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      async stop() {
        process.off('exit', killAll);
        await runCleanups();
      }
    };
  } catch (error) {
    process.off('exit', killAll);
    await runCleanups();
    throw error;
  }
}

// ---- clients of a board through the cluster ----

/** A WebSocket that sends the partner's cookie and origin, as the browser would. */
function socketClassFor(partner: Pick<Partner, 'cookie' | 'origin'>): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie: partner.cookie, origin: partner.origin } });
    }
  } as typeof WebSocket;
}

export type ClusterDoc = DocClient & {
  /** Close codes this provider's sockets saw, in order (4013 BoardMoved, 4012 ServerRestarting, …). */
  closeCodes: number[];
};

/**
 * The page's Yjs provider for one of a board's documents. It reconnects by itself after any
 * close (y-websocket does), backing off up to `maxBackoffMs`: a board that moved is retried
 * without a storm of handshakes on a 2-core machine.
 */
export function connectClusterDoc(partner: Partner, docName: DocName, options: { doc?: Y.Doc; maxBackoffMs?: number; connect?: boolean } = {}): ClusterDoc {
  const doc = options.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(partner.baseUrl.replace(/^http/, 'ws') + YJS_PATH, roomName(partner.boardId, docName), doc, {
    WebSocketPolyfill: socketClassFor(partner) as never,
    disableBc: true,
    maxBackoffTime: options.maxBackoffMs ?? 1_000,
    connect: options.connect ?? true
  });
  const closeCodes: number[] = [];
  provider.on('connection-close', (event: { code: number } | null) => {
    if (event) closeCodes.push(event.code);
  });
  return {
    doc,
    provider,
    closeCodes,
    destroy() {
      provider.destroy();
      doc.destroy();
    }
  };
}

export type ClusterSeat = {
  socket: BoardSocketClient;
  /** The latest payload of each event. */
  latest: Record<string, any>;
  /** Why handshakes were refused (`connect_error`'s code), in order. */
  refusals: string[];
  close(): void;
};

/**
 * A seat's Socket.IO connection with the board id in its URL (`?board=`) so the proxy can route
 * it [LEASE7]. Socket.IO reconnects by itself after a lost transport; a handshake refused by
 * the server (BoardMoved while the old owner's lease runs out) is retried after `retryMs`, as
 * the page does. `retryMs: null` never retries a refusal (a client pinned to one node).
 */
export function connectClusterSeat(partner: Partner, options: { retryMs?: number | null } = {}): ClusterSeat {
  const socket: BoardSocketClient = io(partner.baseUrl, {
    path: SOCKET_IO_PATH,
    transports: ['websocket'],
    query: { board: partner.boardId },
    auth: { boardId: partner.boardId, protocol: PROTOCOL_VERSION },
    extraHeaders: { cookie: partner.cookie, origin: partner.origin },
    reconnectionDelay: 200,
    reconnectionDelayMax: 1_000
  });
  const latest: Record<string, any> = {};
  const refusals: string[] = [];
  let closed = false;
  const retryMs = options.retryMs === undefined ? 500 : options.retryMs;
  socket.onAny((event: string, payload: unknown) => (latest[event] = payload));
  socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
    refusals.push(error.data?.code ?? error.message);
    // A refusal by the server's middleware leaves the socket inactive: Socket.IO will not retry
    // it. As the page does (LiveBoard), try again shortly unless Socket.IO is already at it.
    if (retryMs !== null) setTimeout(() => !closed && !socket.active && socket.connect(), retryMs);
  });
  return {
    socket,
    latest,
    refusals,
    close() {
      closed = true;
      socket.close();
    }
  };
}
