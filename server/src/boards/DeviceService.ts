import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  codeFromBytes,
  DEVICE_CODE_BYTES,
  deviceNameFromUserAgent,
  devicesView,
  displayCode,
  fail,
  findCode,
  findRecovery,
  issueCode,
  normaliseCode,
  noteSeen,
  redeemCode,
  redeemRecovery,
  renameDevice,
  revokeDevice,
  setRecovery,
  type DevicesView,
  type RedeemDeviceBody,
  type Result,
  type Seat,
  type SeatDevice,
  type SeatsState
} from '@pairboard/shared';
import type { ClaimContext } from '../ownership/BoardOwnership.ts';
import type { BoardStore, StoredBoard } from '../persistence/BoardStore.ts';
import type { BoardService, Claimer, Clock } from './BoardService.ts';
import { hashSecret, newSeatSecret } from './secrets.ts';

/** A seat save that lost a race with another seat change is computed again, this many times. */
const SEAT_SAVE_ATTEMPTS = 4;

/** [DEV3] Codes are hashed with their board and seat: a code can only ever open that one seat. */
export function hashDeviceCode(boardId: string, seat: Seat, code: string): string {
  return createHash('sha256').update(`pairboard-device-code:${boardId}:${seat}:${code}`).digest('base64url');
}

/** [DEV3] Constant-time comparison of two base64url SHA-256 digests. */
function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'base64url');
  const y = Buffer.from(b, 'base64url');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

const newDeviceId = () => randomBytes(8).toString('base64url');

type Seated = { seat: Seat; deviceId: string };
type SeatChange<T> = (seats: SeatsState, at: number) => Result<{ state: SeatsState } & T>;

/**
 * A seat on several browsers (SPEC DEV1–DEV12): the seat holder makes one-time codes, lists,
 * renames and revokes their browsers, and saves a recovery secret; another browser redeems a
 * code or the recovery secret. Every change is one fenced, versioned seat write [FENCE1][FENCE4].
 * Codes and secrets are returned to the caller once and never logged.
 */
export class DeviceService {
  constructor(
    private readonly store: BoardStore,
    private readonly boards: BoardService,
    private readonly ownership: Claimer,
    private readonly now: Clock = Date.now
  ) {}

  async list(boardId: string, secret: string | undefined): Promise<Result<{ devices: DevicesView }>> {
    const auth = await this.holder(boardId, secret);
    if (!auth.ok) return auth;
    const board = await this.store.getBoard(boardId);
    if (!board) return fail('NotFound', 'There is no board at this link.');
    return { ok: true, devices: devicesView(board.seats, auth.seat, auth.deviceId, this.now()) };
  }

  /** [DEV2][DEV3] A new one-time code for the asking browser's own seat (a payload never names one). */
  async issueCode(
    boardId: string,
    secret: string | undefined,
    userAgent: string | undefined,
    context: ClaimContext = {}
  ): Promise<Result<{ code: string; expiresAt: number }>> {
    const auth = await this.holder(boardId, secret);
    if (!auth.ok) return auth;
    const code = codeFromBytes(randomBytes(DEVICE_CODE_BYTES));
    const hash = hashDeviceCode(boardId, auth.seat, code);
    const saved = await this.change(boardId, context, (seats, at) =>
      issueCode(seats, auth.seat, { hash, at, currentName: deviceNameFromUserAgent(userAgent) })
    );
    if (!saved.ok) return saved;
    return { ok: true, code: displayCode(code), expiresAt: saved.expiresAt };
  }

  /**
   * [DEV5][DEV9][DEV11] Another browser redeems a code or the recovery secret and gets its own
   * device secret. A browser that already holds a seat on this board cannot take another one.
   */
  async redeem(
    boardId: string,
    body: RedeemDeviceBody,
    existingSecret: string | undefined,
    userAgent: string | undefined,
    context: ClaimContext = {}
  ): Promise<Result<{ seat: Seat; secret: string; recovery?: string }>> {
    const existing = await this.boards.authenticate(boardId, existingSecret);
    if (existing.ok) return fail('AlreadyDone', `This browser already holds the ${existing.seat} seat on this board; just open the board.`);
    if (existing.code === 'NotFound' || existing.code === 'BoardDeleted') return existing;
    const secret = newSeatSecret();
    const device = (at: number): SeatDevice => ({
      id: newDeviceId(),
      secretHash: hashSecret(secret),
      name: deviceNameFromUserAgent(userAgent),
      createdAt: at,
      lastSeenAt: at
    });

    if ('code' in body) {
      const typed = normaliseCode(body.code);
      if (!typed.ok) return typed;
      const saved = await this.change(boardId, context, (seats, at) => {
        const match = findCode(seats, (seat, stored) => sameDigest(stored, hashDeviceCode(boardId, seat, typed.code)), at);
        if (!match) return fail('NotFound', 'That code is not right. Check it, or ask for a new one on the browser that holds the seat.');
        return redeemCode(seats, match, device(at), at);
      });
      if (!saved.ok) return saved;
      return { ok: true, seat: saved.seat, secret };
    }

    const presented = hashSecret(body.recovery);
    const recovery = newSeatSecret();
    const saved = await this.change(boardId, context, (seats, at) => {
      const seat = findRecovery(seats, (stored) => sameDigest(stored, presented));
      if (!seat) return fail('NotFound', 'That recovery link is not valid (it was used, replaced or removed).');
      return redeemRecovery(seats, seat, device(at), { hash: hashSecret(recovery), createdAt: at });
    });
    if (!saved.ok) return saved;
    // [DEV9] The used recovery secret is dead; its replacement is shown once, to this browser.
    return { ok: true, seat: saved.seat, secret, recovery };
  }

  async rename(boardId: string, secret: string | undefined, deviceId: string, name: string, context: ClaimContext = {}): Promise<Result> {
    const auth = await this.holder(boardId, secret);
    if (!auth.ok) return auth;
    const saved = await this.change(boardId, context, (seats) => renameDevice(seats, auth.seat, deviceId, name));
    return saved.ok ? { ok: true } : saved;
  }

  /** [DEV7] Removes one of the asking seat's browsers; the caller closes its connections. */
  async revoke(boardId: string, secret: string | undefined, deviceId: string, context: ClaimContext = {}): Promise<Result<{ seat: Seat; deviceId: string }>> {
    const auth = await this.holder(boardId, secret);
    if (!auth.ok) return auth;
    const saved = await this.change(boardId, context, (seats, at) => revokeDevice(seats, auth.seat, deviceId, auth.deviceId, at));
    if (!saved.ok) return saved;
    return { ok: true, seat: auth.seat, deviceId: saved.revoked.id };
  }

  /** [DEV9] A new recovery secret for the asking seat (the previous one stops working). */
  async saveRecovery(
    boardId: string,
    secret: string | undefined,
    userAgent: string | undefined,
    context: ClaimContext = {}
  ): Promise<Result<{ recovery: string }>> {
    const auth = await this.holder(boardId, secret);
    if (!auth.ok) return auth;
    const recovery = newSeatSecret();
    const saved = await this.change(boardId, context, (seats, at) =>
      setRecovery(seats, auth.seat, { hash: hashSecret(recovery), createdAt: at }, deviceNameFromUserAgent(userAgent))
    );
    return saved.ok ? { ok: true, recovery } : saved;
  }

  async removeRecovery(boardId: string, secret: string | undefined, context: ClaimContext = {}): Promise<Result> {
    const auth = await this.holder(boardId, secret);
    if (!auth.ok) return auth;
    const saved = await this.change(boardId, context, (seats) => setRecovery(seats, auth.seat, null));
    return saved.ok ? { ok: true } : saved;
  }

  /**
   * [DEV6] A device's last-seen time, written at most every 10 minutes; called when a seated
   * Socket.IO connection is admitted (its lease is held). Best effort: a lost race is skipped.
   */
  async noteSeen(boardId: string, seat: Seat, deviceId: string): Promise<void> {
    const board = await this.store.getBoard(boardId);
    if (!board || board.deletedAt !== null) return;
    const next = noteSeen(board.seats, seat, deviceId, this.now());
    if (!next) return;
    const lease = await this.ownership.claim(boardId);
    if (lease.ok) await this.store.saveSeats(boardId, next, board.seatsVersion, lease.epoch);
  }

  /** Only a browser holding a seat of this board may manage that seat's browsers. */
  private async holder(boardId: string, secret: string | undefined): Promise<Result<Seated>> {
    const auth = await this.boards.authenticate(boardId, secret);
    if (!auth.ok) return auth.code === 'BoardFull' ? fail('NotSeated', 'Only a browser that holds a seat on this board can do that.') : auth;
    return { ok: true, seat: auth.seat, deviceId: auth.deviceId };
  }

  /** Reads the seats, applies one rule and saves over the version it read; again on a lost race. */
  private async change<T extends object>(boardId: string, context: ClaimContext, rule: SeatChange<T>): Promise<Result<{ state: SeatsState } & T>> {
    for (let attempt = 0; ; attempt++) {
      const board: StoredBoard | null = await this.store.getBoard(boardId);
      if (!board) return fail('NotFound', 'There is no board at this link. Check that the whole link was copied.');
      if (board.deletedAt !== null) return fail('BoardDeleted', 'This board was deleted by its partners.');
      const changed = rule(board.seats, this.now());
      if (!changed.ok) return changed;
      const lease = await this.ownership.claim(boardId, context);
      if (!lease.ok) return lease;
      const saved = await this.store.saveSeats(boardId, changed.state, board.seatsVersion, lease.epoch);
      if (saved.ok) return changed;
      if (saved.code === 'BoardGone') return fail('BoardDeleted', 'This board was deleted by its partners.');
      if (saved.code === 'StaleEpoch') return fail('BoardMoved', 'Another server is serving this board right now; retrying.');
      if (attempt + 1 >= SEAT_SAVE_ATTEMPTS) return fail('Internal', 'The seats kept changing; please try again.');
    }
  }
}
