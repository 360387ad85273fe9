import express, { type Request, type RequestHandler, type Response } from 'express';
import { boardIdSchema, createBoardBody, fail, HTTP_STATUS, joinBoardBody, type Failure } from '@pairboard/shared';
import type { z } from 'zod';
import type { BoardService } from '../boards/BoardService.ts';
import type { Logger } from '../log.ts';
import { clearSeatSecret, readSeatSecret, writeSeatSecret } from './cookies.ts';
import { originAllowed } from './origin.ts';
import { mountDeviceRoutes, type DeviceRouteDeps } from './deviceApi.ts';

export type ApiDeps = {
  boards: BoardService;
  origins: readonly string[];
  secureCookies: boolean;
  log: Logger;
  /** Tells live connections of a board that it is gone (Socket.IO and Yjs). */
  onBoardDeleted: (boardId: string) => void;
  /** [EDGE2][EDGE3] Per-address and per-seat limits, and the board-creation limit (rateLimits.ts). */
  rateLimits?: { api: RequestHandler; createBoard: RequestHandler };
  /** [DEV…] A seat on several browsers (deviceApi.ts). */
  devices?: DeviceRouteDeps;
};

function sendFailure(res: Response, failure: Failure & { retryAfterMs?: number }): void {
  const { retryAfterMs, ...body } = failure;
  // [LEASE9] Another node serves the board (a failover in progress): say when to try again.
  if (failure.code === 'BoardMoved') res.set('Retry-After', String(Math.max(1, Math.ceil((retryAfterMs ?? 1_000) / 1000))));
  res.status(HTTP_STATUS[failure.code]).json(body);
}

/** [LEASE14] A request the proxy routed here carries X-Forwarded-For (deploy/haproxy.cfg: option forwardfor). */
const routedByProxy = (req: Request) => req.headers['x-forwarded-for'] !== undefined;

/** Express 5 passes a rejected promise to the error handler; this keeps each route a straight line. */
type AsyncHandler = (req: Request, res: Response) => Promise<void>;
const route =
  (handler: AsyncHandler): RequestHandler =>
  (req, res, next) =>
    handler(req, res).catch(next);

function parseBody<S extends z.ZodType>(schema: S, req: Request, res: Response): z.output<S> | null {
  const parsed = schema.safeParse(req.body ?? {});
  if (parsed.success) return parsed.data;
  sendFailure(res, fail('BadRequest', parsed.error.issues[0]?.message ?? 'That request was not understood.'));
  return null;
}

function boardIdParam(req: Request, res: Response): string | null {
  const parsed = boardIdSchema.safeParse(req.params.boardId);
  if (parsed.success) return parsed.data;
  sendFailure(res, fail('NotFound', 'There is no board at this link. Check that the whole link was copied.'));
  return null;
}

/** The REST face of boards: create, join, look, delete. Everything live goes over the sockets. */
export function createApi(deps: ApiDeps): express.Router {
  const api = express.Router();
  const pass: RequestHandler = (_req, _res, next) => next();
  // Counted before the body is even parsed: a refused flood costs as little as possible.
  api.use(deps.rateLimits?.api ?? pass);
  api.use(express.json({ limit: '64kb' }));

  // Browsers always send Origin on POST/DELETE; refusing foreign ones closes the CSRF door.
  api.use((req, res, next) => {
    if (req.method !== 'GET' && !originAllowed(req, deps.origins)) return sendFailure(res, fail('BadOrigin', 'This request came from another site.'));
    next();
  });

  api.post(
    '/boards',
    deps.rateLimits?.createBoard ?? pass,
    route(async (req, res) => {
      const body = parseBody(createBoardBody, req, res);
      if (!body) return;
      const created = await deps.boards.create(body.name, body.seat);
      if (!created.ok) return sendFailure(res, created);
      writeSeatSecret(res, created.boardId, created.secret, deps.secureCookies);
      deps.log.info('board created', { boardId: created.boardId });
      res.status(201).json({ ok: true, boardId: created.boardId, seat: created.seat });
    })
  );

  api.get(
    '/boards/:boardId',
    route(async (req, res) => {
      const boardId = boardIdParam(req, res);
      if (!boardId) return;
      const result = await deps.boards.view(boardId, readSeatSecret(req, boardId));
      if (!result.ok) return sendFailure(res, result);
      res.set('Cache-Control', 'no-store').json({ ok: true, board: result.view });
    })
  );

  api.post(
    '/boards/:boardId/seats',
    route(async (req, res) => {
      const boardId = boardIdParam(req, res);
      if (!boardId) return;
      const body = parseBody(joinBoardBody, req, res);
      if (!body) return;
      const joined = await deps.boards.join(boardId, body.name, body.seat, readSeatSecret(req, boardId), { routed: routedByProxy(req) });
      if (!joined.ok) return sendFailure(res, joined);
      writeSeatSecret(res, boardId, joined.secret, deps.secureCookies);
      res.json({ ok: true, seat: joined.seat });
    })
  );

  api.delete(
    '/boards/:boardId',
    route(async (req, res) => {
      const boardId = boardIdParam(req, res);
      if (!boardId) return;
      const deleted = await deps.boards.delete(boardId, readSeatSecret(req, boardId));
      if (!deleted.ok) return sendFailure(res, deleted);
      clearSeatSecret(res, boardId, deps.secureCookies);
      deps.onBoardDeleted(boardId);
      deps.log.info('board deleted', { boardId });
      res.json({ ok: true });
    })
  );

  if (deps.devices) mountDeviceRoutes(api, { route, sendFailure, boardIdParam, routed: routedByProxy }, deps.devices);

  api.use((_req, res) => sendFailure(res, fail('NotFound', 'No such API route.')));
  return api;
}
