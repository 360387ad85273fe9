/** The two seats of a board. A board is always exactly one mentoring pair. */
export const SEATS = ['mentor', 'mentee'] as const;
export type Seat = (typeof SEATS)[number];

export function otherSeat(seat: Seat): Seat {
  return seat === 'mentor' ? 'mentee' : 'mentor';
}

export function isSeat(value: unknown): value is Seat {
  return value === 'mentor' || value === 'mentee';
}

export const SEAT_LABEL: Record<Seat, string> = { mentor: 'Mentor', mentee: 'Mentee' };
