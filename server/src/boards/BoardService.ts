import {
  claimSeat,
  deviceOf,
  EMPTY_SEATS,
  revokedSeatOf,
  fail,
  seatOf,
  SEATS,
  type BoardView,
  type Result,
  type Seat,
  type SeatsState
} from '@pairboard/shared';
import type { BoardStore, StoredBoard } from '../persistence/BoardStore.ts';
import type { Claim, ClaimContext } from '../ownership/BoardOwnership.ts';
import { hashSecret, newBoardId, newSeatSecret } from './secrets.ts';

export type Clock = () => number;

/** Serves a board from this node (its lease) before a write [LEASE2]. */
export type Claimer = { claim(boardId: string, context?: ClaimContext): Promise<Claim> };

/** A seat save that lost a race with another seat change is computed again, this many times. */
const SEAT_SAVE_ATTEMPTS = 4;

/** The board's front door: creating boards, claiming seats, and checking a browser's secret. */
export class BoardService {
  constructor(
    private readonly store: BoardStore,
    private readonly ownership: Claimer,
    private readonly now: Clock = Date.now
  ) {}

  /**
   * A new board is not claimed here: POST /api/boards carries no id, so the proxy may have sent it
   * to any node; the first socket or seat write claims it on the node its id hashes to.
   */
  async create(name: string, seat: Seat): Promise<Result<{ boardId: string; seat: Seat; secret: string }>> {
    const secret = newSeatSecret();
    const claimed = claimSeat(EMPTY_SEATS, { seat, name, secretHash: hashSecret(secret), at: this.now() });
    if (!claimed.ok) return claimed;
    const boardId = newBoardId();
    const created = await this.store.createBoard({ id: boardId, createdAt: this.now(), seats: claimed.state });
    if (!created.ok) return fail('Internal', 'Could not create the board; please try again.');
    return { ok: true, boardId, seat: claimed.seat, secret };
  }

  /** [SEAT4][SEAT5] A browser with a secret for this board gets its seat back; else it takes the free one. */
  async join(
    boardId: string,
    name: string,
    seat: Seat | undefined,
    existingSecret: string | undefined,
    context: ClaimContext = {}
  ): Promise<Result<{ seat: Seat; secret: string }>> {
    for (let attempt = 0; ; attempt++) {
      const board = await this.live(boardId);
      if (!board.ok) return board;
      const secret = existingSecret && seatOf(board.record.seats, hashSecret(existingSecret)) ? existingSecret : newSeatSecret();
      const claimed = claimSeat(board.record.seats, { seat, name, secretHash: hashSecret(secret), at: this.now() });
      if (!claimed.ok) return claimed;
      if (claimed.state === board.record.seats) return { ok: true, seat: claimed.seat, secret };
      // [FENCE1] Seats are written by the node serving the board, with its epoch…
      const lease = await this.ownership.claim(boardId, context);
      if (!lease.ok) return lease;
      // …[FENCE4] and only over the seats they were computed from.
      const saved = await this.store.saveSeats(boardId, claimed.state, board.record.seatsVersion, lease.epoch);
      if (saved.ok) return { ok: true, seat: claimed.seat, secret };
      if (saved.code === 'BoardGone') return fail('BoardDeleted', 'This board was deleted by its partners.');
      if (saved.code === 'StaleEpoch') return fail('BoardMoved', 'Another server is serving this board right now; retrying.');
      // VersionConflict: the partner took a seat at the same moment; judge again on the new seats.
      if (attempt + 1 >= SEAT_SAVE_ATTEMPTS) return fail('Internal', 'The seats kept changing; please try again.');
    }
  }

  /**
   * [SEAT2][SEAT3] Which seat a secret opens. A browser without one learns only whether a seat is
   * still free (and who is waiting), never any board content.
   */
  async authenticate(boardId: string, secret: string | undefined): Promise<Result<{ seat: Seat; seats: SeatsState; deviceId: string }>> {
    const board = await this.live(boardId);
    if (!board.ok) return board;
    const hash = secret ? hashSecret(secret) : null;
    const device = deviceOf(board.record.seats, hash);
    if (device) return { ok: true, seat: device.seat, seats: board.record.seats, deviceId: device.deviceId };
    // [DEV8] A browser its seat holder removed is told so, on every channel.
    if (revokedSeatOf(board.record.seats, hash))
      return fail(
        'DeviceRevoked',
        'This browser was removed from its seat on this board. Ask to be added again from a browser that holds the seat, or use your recovery link.'
      );
    if (SEATS.every((s) => board.record.seats[s] !== null)) return fail('BoardFull', 'This board already has its two partners.');
    return fail('NotSeated', 'Take the free seat first.');
  }

  async view(boardId: string, secret: string | undefined): Promise<Result<{ view: BoardView }>> {
    const auth = await this.authenticate(boardId, secret);
    if (!auth.ok && auth.code !== 'NotSeated') return auth;
    const board = await this.store.getBoard(boardId);
    if (!board) return fail('NotFound', 'There is no board at this link. Check that the whole link was copied.');
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

  /**
   * Erases the board for good; only a seated partner may. [FENCE5] Any node may delete: the
   * owner hears it (signal) and its next write is refused.
   */
  async delete(boardId: string, secret: string | undefined): Promise<Result> {
    const auth = await this.authenticate(boardId, secret);
    if (!auth.ok) return auth;
    const deleted = await this.store.deleteBoard(boardId, this.now());
    if (!deleted.ok) return fail('BoardDeleted', 'This board was deleted by its partners.');
    return { ok: true };
  }

  /** What the board link should answer: 200, 410 (deleted) or 404 (unknown). */
  async linkStatus(boardId: string): Promise<'live' | 'deleted' | 'unknown'> {
    const board = await this.store.getBoard(boardId);
    return board === null ? 'unknown' : board.deletedAt !== null ? 'deleted' : 'live';
  }

  private async live(boardId: string): Promise<Result<{ record: StoredBoard }>> {
    const record = await this.store.getBoard(boardId);
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
