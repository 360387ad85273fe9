import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { CLOSE_CODES, fail, SOCKET_IO_PATH, YJS_PATH } from '@pairboard/shared';
import { BoardService } from './boards/BoardService.ts';
import { DeviceService } from './boards/DeviceService.ts';
import type { Config } from './config.ts';
import { createApi } from './http/api.ts';
import { createOperations, type Operations } from './ops/operations.ts';
import { boardLinkStatus } from './http/boardPage.ts';
import { addressKey, createClientAddress } from './http/clientAddress.ts';
import { AddressCounter, refuseUpgradeTooMany } from './http/connectionLimits.ts';
import { createRateLimits } from './http/rateLimits.ts';
import { apiContentSecurityPolicy, securityHeaders } from './http/securityHeaders.ts';
import { createMetrics, type Metrics } from './observability/metrics.ts';
import type { Logger } from './log.ts';
import type { BoardStore } from './persistence/BoardStore.ts';
import { BoardOwnership, type LossReason } from './ownership/BoardOwnership.ts';
import { createRealtime, type SocketFeature } from './realtime/socketServer.ts';
import { createGameFeature } from './realtime/gameFeature.ts';
import { RateLimiter } from './realtime/RateLimiter.ts';
import { createSessionFeature } from './realtime/sessionFeature.ts';
import { createSocketEdges } from './realtime/socketEdges.ts';
import { RoomRegistry } from './rooms/RoomRegistry.ts';
import { YjsEndpoint, type YjsLimits } from './sync/YjsEndpoint.ts';

export type ServerDeps = {
  config: Config;
  /** SqliteBoardStore (one node) or PostgresStore (several); the caller opens and closes it. */
  store: BoardStore;
  log: Logger;
  /** adapter-node's handler for the built SvelteKit app; absent in API-only tests and in dev. */
  webHandler?: RequestHandler;
  features?: SocketFeature[];
  /** Resource bounds of the Yjs endpoint (HARD5–7); tests shorten them. */
  yjsLimits?: Partial<YjsLimits>;
  /** Prometheus handles; one registry per server (created here when not given). */
  metrics?: Metrics;
};

export type PairboardServer = {
  httpServer: http.Server;
  boards: BoardService;
  rooms: RoomRegistry;
  /** [LEASE1–LEASE4] The boards this node serves and their epochs. */
  ownership: BoardOwnership;
  /** [OPS1–OPS5] Health, readiness, draining flag and scrape-time gauges. */
  ops: Operations;
  metrics: Metrics;
  listen(port?: number, host?: string): Promise<AddressInfo>;
  close(): Promise<void>;
  /** [OPS3] Graceful stop: readyz 503, stop accepting, write everything, close sockets with ServerRestarting. */
  drain(): Promise<void>;
};

/** Composition root: one HTTP server carrying the app, the API, Socket.IO and the Yjs endpoint. */
export function createServer({ config, store, log, webHandler, features, metrics = createMetrics(), yjsLimits }: ServerDeps): PairboardServer {
  // [LEASE1] A board is served here while this node holds its lease: anything loaded or connected
  // for it keeps the lease renewed; a board nothing uses any more is released.
  const ownership: BoardOwnership = new BoardOwnership({
    store,
    log: log.child('lease'),
    ttlMs: config.leaseTtlMs,
    inUse: (boardId: string): boolean => rooms.hasBoard(boardId) || realtime.hasBoard(boardId) || session.hasBoard(boardId) || games.hasBoard(boardId),
    // [LEASE14] Everything accepted for the board is stored before the other node may load it.
    beforeHandOff: () => rooms.flush(),
    onBackgroundError: (error) => ops.background.record('lease', error)
  });
  const ownershipStarted = ownership.start().catch((error: unknown) => ops.background.record('signals', error));
  const epochOf = (boardId: string): number | null => ownership.epochOf(boardId);
  /** The database refused a write for this board: another node serves it now, or it was deleted. */
  const onFenced = (boardId: string, reason: LossReason) => ownership.lose(boardId, reason);
  const boards = new BoardService(store, ownership);
  const devices = new DeviceService(store, boards, ownership);
  const rooms: RoomRegistry = new RoomRegistry({ store, log: log.child('room'), unloadAfterMs: config.roomUnloadMs, metrics, epochOf, onFenced });
  const app = express();
  const httpServer = http.createServer(app);
  const secureCookies = config.origins[0]?.startsWith('https://') ?? false;

  // [EDGE1] One answer to "who is this client", shared by REST, Socket.IO and the Yjs endpoint.
  app.set('trust proxy', config.trustProxy);
  const clientAddress = createClientAddress(app.get('trust proxy fn'));
  // [EDGE4] Websockets (Socket.IO and Yjs together) open at once per client address.
  const socketsPerIp = new AddressCounter(config.edges.socketsPerIp);
  const socketEdges = createSocketEdges({
    clientAddress,
    socketsPerIp,
    anonymousPerIp: new AddressCounter(config.edges.anonymousSocketsPerIp),
    connectTimeoutMs: config.edges.socketConnectTimeoutMs,
    socketsPerSeat: config.edges.socketsPerSeat,
    metrics,
    log: log.child('edges')
  });

  const limiter = new RateLimiter({ perSecond: 10, burst: 30 });
  // [OPS6] A stored state row that cannot be read pauses that feature for that board, and says so.
  const onUnreadableState = (boardId: string, key: string) => ops.background.record('state-load', new Error(`${key} state of board ${boardId} unreadable`));
  const session = createSessionFeature({ store, epochOf, onFenced, log: log.child('session'), limiter, onUnreadableState });
  const games = createGameFeature({ store, epochOf, onFenced, log: log.child('games'), limiter, onUnreadableState });
  const realtime = createRealtime({
    httpServer,
    boards,
    ownership,
    origins: config.origins,
    log: log.child('socket'),
    features: [session.feature, games.feature, ...(features ?? [])],
    edges: socketEdges,
    maxMessageBytes: config.edges.socketMaxMessageBytes,
    connectTimeoutMs: config.edges.socketConnectTimeoutMs,
    onSeated: (boardId, seat, deviceId) =>
      void devices.noteSeen(boardId, seat, deviceId).catch((error: unknown) => log.warn('last seen not written', { error: String(error) }))
  });
  const yjs = new YjsEndpoint({
    boards,
    ownership,
    rooms,
    origins: config.origins,
    log: log.child('yjs'),
    metrics,
    ...(yjsLimits ? { limits: yjsLimits } : {})
  });
  const ops = createOperations({
    store,
    metrics,
    log: log.child('ops'),
    rooms,
    leasedBoards: () => ownership.heldCount,
    connections: () => ({ yjs: yjs.connectionCount, socketio: realtime.io.engine.clientsCount })
  });

  // [LEASE3][FENCE5] Letting go of a board: a lost lease, a write the fence refused, or a deletion
  // (from this node's API or any other node's, over the store's signal). Its connections close
  // (clients of a moved board reconnect and reach its new node), its state is forgotten.
  ownership.onLoss((boardId, reason) => {
    session.forget(boardId);
    games.forget(boardId);
    if (reason === 'deleted') {
      realtime.boardDeleted(boardId);
      rooms.closeBoard(boardId, CLOSE_CODES.BoardDeleted, 'This board was deleted.');
    } else {
      realtime.boardMoved(boardId);
      rooms.closeBoard(boardId, CLOSE_CODES.BoardMoved, 'This board moved to another server; reconnecting.');
    }
  });
  // Registered after Socket.IO's own listener; with destroyUpgrade off, each takes only its paths.
  httpServer.on('upgrade', (req, socket, head) => {
    // [OPS3] Draining: no new realtime connections (their clients retry and reach another node).
    if (ops.draining) return void socket.destroy();
    if ((req.url ?? '').startsWith(`${YJS_PATH}/`)) {
      const release = socketsPerIp.take(addressKey(clientAddress(req)));
      if (!release) {
        metrics.refuse('too-many-connections');
        return refuseUpgradeTooMany(socket);
      }
      socket.once('close', release);
    }
    if (yjs.handleUpgrade(req, socket, head)) return;
    // Neither endpoint's: answer instead of leaving the socket open forever.
    if (!(req.url ?? '').startsWith(`${SOCKET_IO_PATH}/`)) socket.destroy();
  });

  app.disable('x-powered-by');
  app.use(securityHeaders({ https: secureCookies }));
  const rateLimits = createRateLimits({
    settings: config.edges,
    clientAddress,
    metrics,
    log: log.child('edges')
  });
  app.use(ops.routes);
  app.use(
    '/api',
    apiContentSecurityPolicy,
    createApi({
      boards,
      origins: config.origins,
      secureCookies,
      log: log.child('api'),
      rateLimits,
      // At once here; other nodes hear the store's signal (and so does this one, a no-op by then).
      onBoardDeleted: (boardId) => ownership.lose(boardId, 'deleted'),
      devices: {
        devices,
        secureCookies,
        log: log.child('devices'),
        onRateLimited: () => metrics.refuse('rate-limited'),
        // [DEV7] The board's sockets are all on this node (its lease); the revoked browser's close now.
        onDeviceRevoked: (boardId, seat, deviceId) => {
          const message = 'This browser was removed from your seat by you, from another of your browsers.';
          realtime.deviceRevoked(boardId, seat, deviceId, message);
          yjs.closeDevice(boardId, seat, deviceId, CLOSE_CODES.DeviceRevoked, 'This browser was removed from its seat.');
        }
      }
    })
  );
  if (webHandler) {
    app.get('/b/:boardId', boardLinkStatus(boards));
    app.use(webHandler);
  }
  // Malformed JSON and anything unexpected: a clear error value, details only in the log.
  app.use(((error, _req, res, _next) => {
    const status = typeof error?.status === 'number' && error.status < 500 ? error.status : 500;
    if (status >= 500) log.error('request failed', { error: String(error?.stack ?? error) });
    const body =
      status === 400
        ? fail('BadRequest', 'That request was not valid JSON.')
        : status === 413
          ? fail('TooLarge', 'That request was too large.')
          : fail('Internal', 'Something went wrong on our side.');
    res.status(status).json(body);
  }) as express.ErrorRequestHandler);

  let stopping: Promise<void> | null = null;

  /**
   * [OPS3][LEASE8] readyz 503 and, behind a proxy, a pause until it marks this node down; then stop
   * accepting, write everything, release every lease (the other node takes the boards at once),
   * and close sockets with ServerRestarting so clients reconnect, through the proxy, to it.
   */
  async function drainGracefully(): Promise<void> {
    ops.startDraining();
    if (config.drainDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, config.drainDelayMs));
    const closed = new Promise<void>((resolve) => httpServer.once('close', () => resolve()));
    httpServer.close(); // stop accepting; 'close' fires once every connection has ended
    httpServer.closeIdleConnections();
    // Everything accepted is written before any socket hears "restarting" [PERS1]…
    await rooms.shutdown();
    // …and before another node may take the board and load it [LEASE4].
    await ownership.releaseAll();
    await yjs.drain(CLOSE_CODES.ServerRestarting, 'The server is restarting; reconnecting.');
    // Socket.IO clients see their transport close (not a server-side disconnect) and reconnect.
    await realtime.close();
    httpServer.closeAllConnections();
    await closed;
    ownership.stop();
    ops.dispose();
  }

  async function closeNow(): Promise<void> {
    ops.startDraining();
    ops.dispose();
    const closed = new Promise<void>((resolve) => httpServer.once('close', () => resolve()));
    yjs.close();
    await rooms.shutdown();
    await ownership.releaseAll();
    ownership.stop();
    // Socket.IO closes its clients, then stops the HTTP server from accepting; open keep-alive
    // and page connections would hold the close forever, so end them too.
    await realtime.close();
    httpServer.closeAllConnections();
    await closed;
  }

  return {
    httpServer,
    boards,
    rooms,
    ownership,
    metrics,
    async listen(port = config.port, host = config.host) {
      await ownershipStarted;
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve(httpServer.address() as AddressInfo));
      });
    },
    ops,
    drain() {
      // One way down: a second drain or close waits for the first.
      stopping ??= drainGracefully();
      return stopping;
    },
    close() {
      stopping ??= closeNow();
      return stopping;
    }
  };
}

export function dataFile(config: Config): string {
  return path.join(config.dataDir, 'pairboard.sqlite');
}
