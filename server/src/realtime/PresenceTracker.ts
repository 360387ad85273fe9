import { presenceOf, SEATS, type PresenceMap, type Seat } from '@pairboard/shared';
import { SlicedQueue } from '../timeSlices.ts';

type SeatPresence = { connections: number; lastActiveAt: number };

/**
 * [PRES1–2] Counts each seat's open Socket.IO connections and its last activity, and reports a
 * board's presence whenever it changes — including the silent online → idle transition, which a
 * periodic sweep catches.
 */
export class PresenceTracker {
  private readonly boards = new Map<string, { seats: Record<Seat, SeatPresence>; last: string }>();
  private readonly sweep: NodeJS.Timeout;
  private readonly sweepQueue = new SlicedQueue<string>((boardId) => this.report(boardId));

  constructor(
    private readonly onChange: (boardId: string, presence: PresenceMap) => void,
    private readonly now: () => number = Date.now,
    sweepEveryMs = 5_000
  ) {
    this.sweep = setInterval(() => this.sweepInSlices(), sweepEveryMs);
    this.sweep.unref();
  }

  /**
   * Boards that went quiet together (opened together) turn idle in the same sweep: 1,000 of them
   * reported in one callback blocked the event loop ~25 ms (bench, issue 13). A slice at a time.
   */
  private sweepInSlices(): void {
    if (!this.sweepQueue.busy) this.sweepQueue.push(this.boards.keys());
  }

  connect(boardId: string, seat: Seat): void {
    const board = this.board(boardId);
    board.seats[seat].connections++;
    board.seats[seat].lastActiveAt = this.now();
    this.report(boardId);
  }

  disconnect(boardId: string, seat: Seat): void {
    const board = this.boards.get(boardId);
    if (!board) return;
    board.seats[seat].connections = Math.max(0, board.seats[seat].connections - 1);
    this.report(boardId);
    if (SEATS.every((s) => board.seats[s].connections === 0)) this.boards.delete(boardId);
  }

  touch(boardId: string, seat: Seat): void {
    const board = this.boards.get(boardId);
    if (!board) return;
    board.seats[seat].lastActiveAt = this.now();
    this.report(boardId);
  }

  current(boardId: string): PresenceMap {
    const board = this.boards.get(boardId);
    const now = this.now();
    const of = (seat: Seat) => (board ? presenceOf(board.seats[seat].connections, board.seats[seat].lastActiveAt, now) : 'gone');
    return { mentor: of('mentor'), mentee: of('mentee') };
  }

  forget(boardId: string): void {
    this.boards.delete(boardId);
  }

  stop(): void {
    clearInterval(this.sweep);
  }

  private board(boardId: string) {
    let board = this.boards.get(boardId);
    if (!board) {
      const fresh = (): SeatPresence => ({ connections: 0, lastActiveAt: 0 });
      board = { seats: { mentor: fresh(), mentee: fresh() }, last: '' };
      this.boards.set(boardId, board);
    }
    return board;
  }

  private report(boardId: string): void {
    const board = this.boards.get(boardId);
    if (!board) return;
    const presence = this.current(boardId);
    const key = `${presence.mentor}/${presence.mentee}`;
    if (key === board.last) return;
    board.last = key;
    this.onChange(boardId, presence);
  }
}
