import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { fail } from '@pairboard/shared';
import type { Logger } from '../log.ts';
import type { Metrics } from '../observability/metrics.ts';
import { addressKey } from './clientAddress.ts';
import { readSeatSecret } from './cookies.ts';

/** One limit: `points` requests per `durationSeconds`, counted per key. */
export type RateRule = { name: string; points: number; durationSeconds: number };
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };
/** A counter for one rule. Memory today; any rate-limiter-flexible store (Postgres…) later. */
export type RateCounter = { consume(key: string): Promise<RateDecision> };
export type RateCounterFactory = (rule: RateRule) => RateCounter;

/** Adapts any rate-limiter-flexible limiter (memory, Postgres, Redis…) to a RateCounter. */
export function counterFrom(limiter: RateLimiterAbstract): RateCounter {
  return {
    async consume(key) {
      try {
        await limiter.consume(key);
        return { ok: true };
      } catch (refused) {
        if (refused instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(refused.msBeforeNext / 1000)) };
        throw refused;
      }
    }
  };
}

/** Per-process counters: right for one node; a shared store is needed once there are several. */
export const memoryCounters: RateCounterFactory = (rule) =>
  counterFrom(new RateLimiterMemory({ keyPrefix: rule.name, points: rule.points, duration: rule.durationSeconds }));

export type RateLimitSettings = { apiPerMinute: number; seatPerMinute: number; boardsPerHour: number };

export type RateLimitDeps = {
  settings: RateLimitSettings;
  clientAddress: (req: IncomingMessage) => string;
  metrics: Metrics;
  log: Logger;
  counters?: RateCounterFactory;
};

/**
 * [EDGE2][EDGE3] REST rate limits: every /api request counts against its client address and, when
 * it carries a board's seat cookie, against that seat; creating a board also counts against a
 * much smaller per-address budget. A refusal is `429` with `Retry-After` and a sentence to show.
 */
export function createRateLimits(deps: RateLimitDeps) {
  const make = deps.counters ?? memoryCounters;
  const perAddress = make({ name: 'api-ip', points: deps.settings.apiPerMinute, durationSeconds: 60 });
  const perSeat = make({ name: 'api-seat', points: deps.settings.seatPerMinute, durationSeconds: 60 });
  const boardsPerAddress = make({ name: 'boards-ip', points: deps.settings.boardsPerHour, durationSeconds: 3600 });

  function refuse(res: Response, decision: { retryAfterSeconds: number }, message: string): void {
    deps.metrics.refuse('rate-limited');
    res
      .status(429)
      .set('Retry-After', String(decision.retryAfterSeconds))
      .json(fail('RateLimited', `${message} Please try again in ${waitPhrase(decision.retryAfterSeconds)}.`));
  }

  /** A limiter store that fails must not take the API down with it: let the request through. */
  async function check(counter: RateCounter, key: string): Promise<RateDecision> {
    try {
      return await counter.consume(key);
    } catch (error) {
      deps.log.error('rate limit store failed', { error: String(error) });
      return { ok: true };
    }
  }

  const api: RequestHandler = async (req, res, next) => {
    const address = await check(perAddress, addressKey(deps.clientAddress(req)));
    if (!address.ok) return refuse(res, address, 'pairboard is getting a lot of requests from your network.');
    const seatKey = seatKeyOf(req);
    if (seatKey) {
      const seat = await check(perSeat, seatKey);
      if (!seat.ok) return refuse(res, seat, 'This board is asking pairboard for a lot at once.');
    }
    next();
  };

  const createBoard: RequestHandler = async (req, res, next) => {
    const decision = await check(boardsPerAddress, addressKey(deps.clientAddress(req)));
    if (!decision.ok) return refuse(res, decision, 'Many boards were started from your network in the last hour.');
    next();
  };

  return { api, createBoard };
}

/** The seat a request speaks for: its board's cookie, hashed so keys stay short and secret-free. */
function seatKeyOf(req: IncomingMessage & { path?: string }): string | null {
  const boardId = /^\/boards\/([A-Za-z0-9_-]{1,64})(?:\/|$)/.exec(req.path ?? '')?.[1];
  if (!boardId) return null;
  const secret = readSeatSecret(req, boardId);
  if (!secret) return null;
  return `${boardId}:${createHash('sha256').update(secret).digest('base64url').slice(0, 22)}`;
}

function waitPhrase(seconds: number): string {
  if (seconds < 90) return seconds === 1 ? 'a second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}
