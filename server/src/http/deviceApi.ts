import type { Request, RequestHandler, Response, Router } from 'express';
import { deviceIdSchema, fail, redeemDeviceBody, renameDeviceBody, type Seat } from '@pairboard/shared';
import type { DeviceService } from '../boards/DeviceService.ts';
import type { Logger } from '../log.ts';
import { addressKey } from './clientAddress.ts';
import { readSeatSecret, writeSeatSecret } from './cookies.ts';
import { memoryCounters, type RateCounter, type RateCounterFactory } from './rateLimits.ts';

/**
 * [DEV4] Redeeming is the one place a guess can open a seat, so it has its own small budgets:
 * per client address and per board (a board's requests all reach the node serving it, LEASE7).
 */
export const REDEEM_LIMITS = {
  perAddressPerHour: 10,
  perBoardPerHour: 20
} as const;

export type DeviceRouteDeps = {
  devices: DeviceService;
  secureCookies: boolean;
  log: Logger;
  /** [DEV7] Closes the revoked browser's live connections on this node, at once. */
  onDeviceRevoked: (boardId: string, seat: Seat, deviceId: string) => void;
  counters?: RateCounterFactory;
  onRateLimited?: () => void;
};

/** What api.ts shares with its sub-routes. */
export type RouteKit = {
  route: (handler: (req: Request, res: Response) => Promise<void>) => RequestHandler;
  sendFailure: (res: Response, failure: { ok: false; code: Parameters<typeof fail>[0]; message: string }) => void;
  boardIdParam: (req: Request, res: Response) => string | null;
  routed: (req: Request) => boolean;
};

/**
 * The device endpoints, under `/api/boards/<id>/devices`. Codes and secrets appear only in the
 * one response that creates them (to the seat holder, or to the redeeming browser), never in a
 * log line; they travel in bodies, never in URLs (the QR link keeps the code after `#`).
 */
export function mountDeviceRoutes(api: Router, kit: RouteKit, deps: DeviceRouteDeps): void {
  const make = deps.counters ?? memoryCounters;
  const perAddress: RateCounter = make({ name: 'redeem-ip', points: REDEEM_LIMITS.perAddressPerHour, durationSeconds: 3600 });
  const perBoard: RateCounter = make({ name: 'redeem-board', points: REDEEM_LIMITS.perBoardPerHour, durationSeconds: 3600 });
  const { route, sendFailure, boardIdParam, routed } = kit;
  const deviceIdParam = (req: Request, res: Response): string | null => {
    const parsed = deviceIdSchema.safeParse(req.params.deviceId);
    if (parsed.success) return parsed.data;
    sendFailure(res, fail('NotFound', 'That browser is not on your seat.'));
    return null;
  };
  const ua = (req: Request) => req.headers['user-agent'];
  const secret = (req: Request, boardId: string) => readSeatSecret(req, boardId);

  const limitRedeem: RequestHandler = async (req, res, next) => {
    const boardId = boardIdParam(req, res);
    if (!boardId) return;
    for (const [counter, key, sentence] of [
      [perAddress, addressKey(req.ip ?? ''), 'Too many codes were tried from your network.'],
      [perBoard, boardId, 'Too many codes were tried on this board.']
    ] as const) {
      const decision = await counter.consume(key).catch(() => ({ ok: true as const }));
      if (!decision.ok) {
        deps.onRateLimited?.();
        deps.log.warn('device redeem rate-limited', { boardId, scope: counter === perAddress ? 'address' : 'board' });
        res.set('Retry-After', String(decision.retryAfterSeconds));
        const minutes = Math.ceil(decision.retryAfterSeconds / 60);
        return sendFailure(res, fail('RateLimited', `${sentence} Please try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`));
      }
    }
    next();
  };

  api.get(
    '/boards/:boardId/devices',
    route(async (req, res) => {
      const boardId = boardIdParam(req, res);
      if (!boardId) return;
      const listed = await deps.devices.list(boardId, secret(req, boardId));
      if (!listed.ok) return sendFailure(res, listed);
      res.set('Cache-Control', 'no-store').json({ ok: true, ...listed.devices });
    })
  );

  api.post(
    '/boards/:boardId/devices/code',
    route(async (req, res) => {
      const boardId = boardIdParam(req, res);
      if (!boardId) return;
      const issued = await deps.devices.issueCode(boardId, secret(req, boardId), ua(req), { routed: routed(req) });
      if (!issued.ok) return sendFailure(res, issued);
      deps.log.info('device code issued', { boardId });
      res.set('Cache-Control', 'no-store').status(201).json({ ok: true, code: issued.code, expiresAt: issued.expiresAt });
    })
  );

  api.post(
    '/boards/:boardId/devices/redeem',
    limitRedeem,
    route(async (req, res) => {
      const boardId = boardIdParam(req, res);
      if (!boardId) return;
      const body = redeemDeviceBody.safeParse(req.body ?? {});
      if (!body.success) return sendFailure(res, fail('BadRequest', body.error.issues[0]?.message ?? 'Send the code you were shown, or your recovery link.'));
      const redeemed = await deps.devices.redeem(boardId, body.data, secret(req, boardId), ua(req), { routed: routed(req) });
      if (!redeemed.ok) {
        deps.log.info('device redeem refused', { boardId, code: redeemed.code });
        return sendFailure(res, redeemed);
      }
      writeSeatSecret(res, boardId, redeemed.secret, deps.secureCookies);
      deps.log.info('device added', { boardId, seat: redeemed.seat, by: 'recovery' in body.data ? 'recovery' : 'code' });
      res.set('Cache-Control', 'no-store').json({ ok: true, seat: redeemed.seat, ...(redeemed.recovery ? { recovery: redeemed.recovery } : {}) });
    })
  );

  api.post(
    '/boards/:boardId/devices/recovery',
    route(async (req, res) => {
      const boardId = boardIdParam(req, res);
      if (!boardId) return;
      const saved = await deps.devices.saveRecovery(boardId, secret(req, boardId), ua(req), { routed: routed(req) });
      if (!saved.ok) return sendFailure(res, saved);
      deps.log.info('recovery secret made', { boardId });
      res.set('Cache-Control', 'no-store').status(201).json({ ok: true, recovery: saved.recovery });
    })
  );

  api.delete(
    '/boards/:boardId/devices/recovery',
    route(async (req, res) => {
      const boardId = boardIdParam(req, res);
      if (!boardId) return;
      const removed = await deps.devices.removeRecovery(boardId, secret(req, boardId), { routed: routed(req) });
      if (!removed.ok) return sendFailure(res, removed);
      res.json({ ok: true });
    })
  );

  api.patch(
    '/boards/:boardId/devices/:deviceId',
    route(async (req, res) => {
      const boardId = boardIdParam(req, res);
      if (!boardId) return;
      const deviceId = deviceIdParam(req, res);
      if (!deviceId) return;
      const body = renameDeviceBody.safeParse(req.body ?? {});
      if (!body.success) return sendFailure(res, fail('BadRequest', body.error.issues[0]?.message ?? 'Send a name for this browser.'));
      const renamed = await deps.devices.rename(boardId, secret(req, boardId), deviceId, body.data.name, { routed: routed(req) });
      if (!renamed.ok) return sendFailure(res, renamed);
      res.json({ ok: true });
    })
  );

  api.delete(
    '/boards/:boardId/devices/:deviceId',
    route(async (req, res) => {
      const boardId = boardIdParam(req, res);
      if (!boardId) return;
      const deviceId = deviceIdParam(req, res);
      if (!deviceId) return;
      const revoked = await deps.devices.revoke(boardId, secret(req, boardId), deviceId, { routed: routed(req) });
      if (!revoked.ok) return sendFailure(res, revoked);
      deps.onDeviceRevoked(boardId, revoked.seat, revoked.deviceId);
      deps.log.info('device revoked', { boardId, seat: revoked.seat });
      res.json({ ok: true });
    })
  );
}
