import {
  claimSeat,
  EMPTY_SEATS,
  fail,
  seatOf,
  SEATS,
  type BoardView,
  type Result,
  type Seat,
  type SeatsState
} from '@pairboard/shared';
import type { BoardRecord, Store } from '../persistence/Store.ts';
import { hashSecret, newBoardId, newSeatSecret } from './secrets.ts';

export type Clock = () => number;

/** The board's front door: creating boards, claiming seats, and checking a browser's secret. */
export class BoardService {
  constructor(
    private readonly store: Store,
    private readonly now: Clock = Date.now
  ) {}

  create(name: string, seat: Seat): Result<{ boardId: string; seat: Seat; secret: string }> {
    const secret = newSeatSecret();
    const claimed = claimSeat(EMPTY_SEATS, { seat, name, secretHash: hashSecret(secret), at: this.now() });
    if (!claimed.ok) return claimed;
    const boardId = newBoardId();
    this.store.createBoard({ id: boardId, createdAt: this.now(), deletedAt: null, seats: claimed.state });
    return { ok: true, boardId, seat: claimed.seat, secret };
  }

  /** [SEAT4][SEAT5] A browser with a secret for this board gets its seat back; else it takes the free one. */
  join(
    boardId: string,
    name: string,
    seat: Seat | undefined,
    existingSecret: string | undefined
  ): Result<{ seat: Seat; secret: string }> {
    const board = this.live(boardId);
    if (!board.ok) return board;
    const secret = existingSecret && seatOf(board.record.seats, hashSecret(existingSecret)) ? existingSecret : newSeatSecret();
    const claimed = claimSeat(board.record.seats, { seat, name, secretHash: hashSecret(secret), at: this.now() });
    if (!claimed.ok) return claimed;
    if (claimed.state !== board.record.seats) this.store.saveSeats(boardId, claimed.state);
    return { ok: true, seat: claimed.seat, secret };
  }

  /**
   * [SEAT2][SEAT3] Which seat a secret opens. A browser without one learns only whether a seat is
   * still free (and who is waiting), never any board content.
   */
  authenticate(boardId: string, secret: string | undefined): Result<{ seat: Seat; seats: SeatsState }> {
    const board = this.live(boardId);
    if (!board.ok) return board;
    const seat = secret ? seatOf(board.record.seats, hashSecret(secret)) : null;
    if (seat) return { ok: true, seat, seats: board.record.seats };
    if (SEATS.every((s) => board.record.seats[s] !== null))
      return fail('BoardFull', 'This board already has its two partners.');
    return fail('NotSeated', 'Take the free seat first.');
  }

  view(boardId: string, secret: string | undefined): Result<{ view: BoardView }> {
    const auth = this.authenticate(boardId, secret);
    if (!auth.ok && auth.code !== 'NotSeated') return auth;
    const board = this.store.getBoard(boardId)!;
    return {
      ok: true,
      view: {
        id: boardId,
        createdAt: board.createdAt,
        you: auth.ok ? auth.seat : null,
        seats: seatNames(board.seats)
      }
    };
  }

  /** Erases the board for good; only a seated partner may. */
  delete(boardId: string, secret: string | undefined): Result {
    const auth = this.authenticate(boardId, secret);
    if (!auth.ok) return auth;
    this.store.deleteBoard(boardId, this.now());
    return { ok: true };
  }

  exists(boardId: string): boolean {
    return this.store.getBoard(boardId) !== null;
  }

  /** True when the link points at a board that was deleted (answers 410). */
  isDeleted(boardId: string): boolean {
    return this.store.getBoard(boardId)?.deletedAt != null;
  }

  private live(boardId: string): Result<{ record: BoardRecord }> {
    const record = this.store.getBoard(boardId);
    if (!record) return fail('NotFound', 'There is no board at this link. Check that the whole link was copied.');
    if (record.deletedAt !== null) return fail('BoardDeleted', 'This board was deleted by its partners.');
    return { ok: true, record };
  }
}

export function seatNames(seats: SeatsState): BoardView['seats'] {
  return {
    mentor: seats.mentor ? { name: seats.mentor.name } : null,
    mentee: seats.mentee ? { name: seats.mentee.name } : null
  };
}
