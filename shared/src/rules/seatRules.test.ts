import { describe, expect, it } from 'vitest';
import { displayNameSchema } from '../schemas.ts';
import { claimSeat, EMPTY_SEATS, normaliseName, seatOf, type SeatsState } from './seatRules.ts';

const at = 1_700_000_000_000;

function seated(): SeatsState {
  const first = claimSeat(EMPTY_SEATS, { seat: 'mentee', name: 'Ana', secretHash: 'a', at });
  if (!first.ok) throw new Error(first.message);
  const second = claimSeat(first.state, { name: 'Ben', secretHash: 'b', at });
  if (!second.ok) throw new Error(second.message);
  return second.state;
}

describe('seat rules', () => {
  it('[SEAT1] the creator takes the seat they chose', () => {
    const r = claimSeat(EMPTY_SEATS, { seat: 'mentor', name: 'Ana', secretHash: 'a', at });
    expect(r.ok && r.seat).toBe('mentor');
    expect(r.ok && r.state.mentor?.name).toBe('Ana');
    expect(r.ok && r.state.mentee).toBeNull();
  });

  it('[SEAT4] a joiner without a preference takes the free seat', () => {
    const state = seated();
    expect(state.mentee?.name).toBe('Ana');
    expect(state.mentor?.name).toBe('Ben');
  });

  it('[SEAT4] asking for a taken seat is refused with SeatTaken and changes nothing', () => {
    const first = claimSeat(EMPTY_SEATS, { seat: 'mentor', name: 'Ana', secretHash: 'a', at });
    if (!first.ok) throw new Error();
    const r = claimSeat(first.state, { seat: 'mentor', name: 'Ben', secretHash: 'b', at });
    expect(r).toMatchObject({ ok: false, code: 'SeatTaken' });
    expect(first.state.mentee).toBeNull();
  });

  it('[SEAT2] refuses a third browser that has the link', () => {
    const state = seated();
    const r = claimSeat(state, { name: 'Cy', secretHash: 'c', at });
    expect(r).toMatchObject({ ok: false, code: 'BoardFull' });
    const r2 = claimSeat(state, { seat: 'mentor', name: 'Cy', secretHash: 'c', at });
    expect(r2).toMatchObject({ ok: false, code: 'BoardFull' });
  });

  it('[SEAT5] a seated browser claiming again gets its own seat back, never the second one', () => {
    const first = claimSeat(EMPTY_SEATS, { seat: 'mentor', name: 'Ana', secretHash: 'a', at });
    if (!first.ok) throw new Error();
    const again = claimSeat(first.state, { seat: 'mentee', name: 'Ana again', secretHash: 'a', at });
    expect(again).toMatchObject({ ok: true, seat: 'mentor' });
    expect(again.ok && again.state).toBe(first.state);
  });

  it('[SEAT3] only the matching secret opens a seat', () => {
    const state = seated();
    expect(seatOf(state, 'a')).toBe('mentee');
    expect(seatOf(state, 'b')).toBe('mentor');
    expect(seatOf(state, 'c')).toBeNull();
    expect(seatOf(state, '')).toBeNull();
    expect(seatOf(state, null)).toBeNull();
  });

  it('[SEAT6] names are trimmed, non-empty and at most 40 characters', () => {
    expect(normaliseName('  Ana   Lu ')).toEqual({ ok: true, name: 'Ana Lu' });
    expect(normaliseName('   ')).toMatchObject({ ok: false, code: 'BadRequest' });
    expect(normaliseName('x'.repeat(40))).toMatchObject({ ok: true });
    expect(normaliseName('x'.repeat(41))).toMatchObject({ ok: false, code: 'BadRequest' });
    // Counted in characters as a person sees them, not UTF-16 units.
    expect(normaliseName('🙂'.repeat(40))).toMatchObject({ ok: true });
    const r = claimSeat(EMPTY_SEATS, { seat: 'mentor', name: ' ', secretHash: 'a', at });
    expect(r).toMatchObject({ ok: false, code: 'BadRequest' });
  });

  it('[SEAT6] the REST schema applies the same name rule, with the same words', () => {
    for (const raw of ['  Ana   Lu ', '   ', 'x'.repeat(40), 'x'.repeat(41), '🙂'.repeat(40), '🙂'.repeat(41)]) {
      const rule = normaliseName(raw);
      const parsed = displayNameSchema.safeParse(raw);
      expect(parsed.success).toBe(rule.ok);
      if (rule.ok && parsed.success) expect(parsed.data).toBe(rule.name);
      if (!rule.ok && !parsed.success) expect(parsed.error.issues[0]?.message).toBe(rule.message);
    }
  });
});
