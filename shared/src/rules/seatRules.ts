import { fail, type Result } from '../errors.ts';
import { LIMITS } from '../limits.ts';
import { SEATS, type Seat } from '../seats.ts';
import { deviceOf, type SeatDevices } from './devices.ts';

/**
 * Who sits where. The secret itself never leaves the browser's cookie; the board keeps its hash.
 * A seat on several browsers keeps one hash per browser in `devices` (and `secretHash` is empty).
 */
export type SeatHolder = { name: string; secretHash: string; claimedAt: number } & SeatDevices;
export type SeatsState = Record<Seat, SeatHolder | null>;

export const EMPTY_SEATS: SeatsState = { mentor: null, mentee: null };

export type ClaimSeat = {
  /** The seat asked for; a joiner may leave it out and take whichever is free. */
  seat?: Seat | undefined;
  name: string;
  secretHash: string;
  at: number;
};

/** [SEAT6] Display names are trimmed, non-empty and at most 40 characters. */
export function normaliseName(raw: string): Result<{ name: string }> {
  const name = raw.replace(/\s+/g, ' ').trim();
  if (name.length === 0) return fail('BadRequest', 'Please tell your partner your name.');
  if ([...name].length > LIMITS.displayNameMax) return fail('BadRequest', `Names can be at most ${LIMITS.displayNameMax} characters.`);
  return { ok: true, name };
}

/** [SEAT3] The seat a browser's secret opens, if any. */
export function seatOf(state: SeatsState, secretHash: string | null | undefined): Seat | null {
  return deviceOf(state, secretHash)?.seat ?? null;
}

export function freeSeats(state: SeatsState): Seat[] {
  return SEATS.filter((seat) => state[seat] === null);
}

/**
 * [SEAT1] two seats; [SEAT2] a third browser is refused; [SEAT4] a joiner takes the free seat;
 * [SEAT5] a browser that already holds a seat gets that same seat back and never a second one.
 */
export function claimSeat(state: SeatsState, claim: ClaimSeat): Result<{ state: SeatsState; seat: Seat }> {
  const already = seatOf(state, claim.secretHash);
  if (already) return { ok: true, state, seat: already };

  const named = normaliseName(claim.name);
  if (!named.ok) return named;

  const free = freeSeats(state);
  if (free.length === 0) return fail('BoardFull', 'This board already has its two partners.');

  const seat = claim.seat ?? free[0]!;
  if (state[seat] !== null) return fail('SeatTaken', `The ${seat} seat is taken; the ${free[0]} seat is still free.`);

  return {
    ok: true,
    seat,
    state: { ...state, [seat]: { name: named.name, secretHash: claim.secretHash, claimedAt: claim.at } }
  };
}
