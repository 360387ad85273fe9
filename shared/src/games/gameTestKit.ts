import { expect } from 'vitest';
import { deepFreeze } from '../deepFreeze.ts';
import type { ErrorCode } from '../errors.ts';
import type { Seat } from '../seats.ts';
import type { GameRules } from './types.ts';

/** Test helpers for the game rules (imported by *.test.ts only; not part of the package's API). */

export const NOW = 1_700_000_000_000;

export { deepFreeze };

/** What the state looks like after SQLite and a restart. */
export function viaJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Applies a move that must be refused with `code`, and checks the state is exactly as before. */
export function expectRefused<S, M, V>(rules: GameRules<S, M, V>, state: S, move: M, actor: Seat, code: ErrorCode, label = ''): void {
  const before = structuredClone(state);
  const r = rules.apply(deepFreeze(state), move, actor, NOW);
  expect(r, label).toMatchObject({ ok: false, code });
  expect(state, label).toEqual(before);
}

/** Applies a move that must succeed and returns the new state. */
export function applyOk<S, M, V>(rules: GameRules<S, M, V>, state: S, move: M, actor: Seat): S {
  const r = rules.apply(deepFreeze(state), move, actor, NOW);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(move)} by ${actor} to be accepted: ${r.code} ${r.message}`);
  return r.state;
}

/** A payload that the game's move schema must refuse (so the room answers BadRequest). */
export function expectMalformed<S, M, V>(rules: GameRules<S, M, V>, payload: unknown): void {
  expect(rules.moveSchema.safeParse(payload).success, JSON.stringify(payload)).toBe(false);
}
