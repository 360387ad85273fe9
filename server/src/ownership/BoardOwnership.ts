import { fail, type Failure } from '@pairboard/shared';
import type { Logger } from '../log.ts';
import type { BoardStore } from '../persistence/BoardStore.ts';

/** Why this node stopped serving a board: another node took it over, or the pair deleted it. */
export type LossReason = 'moved' | 'deleted';
export type LossListener = (boardId: string, reason: LossReason) => void;

export type Claim = { ok: true; epoch: number } | (Failure & { retryAfterMs?: number });

export type BoardOwnershipOptions = {
  store: BoardStore;
  log: Logger;
  /** LEASE_TTL_MS; renewed every third of it [LEASE3]. */
  ttlMs: number;
  /** True while the board has anything loaded or connected here; an unused board is released [LEASE4]. */
  inUse(boardId: string): boolean;
  /** [LEASE14] Before a board is handed to another node: write everything pending for it. */
  beforeHandOff?(boardId: string): Promise<void>;
  /** [OPS5] A renewal that could not reach the database (logged here too). */
  onBackgroundError?(error: unknown): void;
  now?: () => number;
};

/** How a request reached this node: `routed` when the proxy sent it (it carries X-Forwarded-For). */
export type ClaimContext = { routed?: boolean };

type Held = { epoch: number; /** Local clock: the lease is surely ours until then. */ validUntil: number; lastUsed: number };

/** A refusal is remembered this long, so a client retrying in a loop costs no query per try. */
const REFUSAL_CACHE_MS = 1_000;
/** [LEASE14] When to retry a board whose holder was just asked to hand it over. */
const HAND_OVER_RETRY_MS = 1_000;

/**
 * [LEASE1–LEASE4, LEASE9] Which boards this node serves, and the epoch (fencing token) of each.
 *
 * A board is claimed on its first socket or write here; a board another node holds is refused
 * with `BoardMoved` (the client retries and the proxy's hash sends it to the owner). Leases are
 * renewed every TTL/3 in one statement; a lease that comes back lost, a write the database
 * refused as stale, or a deletion signal makes this node let go of the board at once: the
 * listeners close its connections and forget its state. A board nobody uses here is released,
 * so another node may take it without waiting for the expiry.
 *
 * Claims and releases of one board run one after another, so a release can never undo a claim
 * made while it was in flight.
 */
export class BoardOwnership {
  private readonly held = new Map<string, Held>();
  private readonly refused = new Map<string, { until: number; failure: Claim }>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly listeners = new Set<LossListener>();
  private readonly store: BoardStore;
  private readonly log: Logger;
  private readonly ttlMs: number;
  private readonly inUse: (boardId: string) => boolean;
  private readonly now: () => number;
  private readonly beforeHandOff: ((boardId: string) => Promise<void>) | undefined;
  private readonly onBackgroundError: ((error: unknown) => void) | undefined;
  private timer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> | null = null;
  private unsubscribe: Array<() => void> = [];
  private stopped = false;

  constructor(options: BoardOwnershipOptions) {
    this.store = options.store;
    this.log = options.log;
    this.ttlMs = options.ttlMs;
    this.inUse = options.inUse;
    this.now = options.now ?? Date.now;
    this.beforeHandOff = options.beforeHandOff;
    this.onBackgroundError = options.onBackgroundError;
  }

  /** Subscribes to deletions from any node [LEASE5] and starts renewing [LEASE3]. */
  async start(): Promise<void> {
    this.unsubscribe.push(await this.store.onSignal('boardDeleted', (boardId) => this.lose(boardId, 'deleted')));
    this.unsubscribe.push(await this.store.onSignal('leaseWanted', (boardId, epoch) => void this.handOff(boardId, epoch)));
    this.timer = setInterval(() => void this.renew(), Math.max(50, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  onLoss(listener: LossListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The epoch this node holds for the board, or null when it does not serve it. */
  epochOf(boardId: string): number | null {
    return this.held.get(boardId)?.epoch ?? null;
  }

  get heldCount(): number {
    return this.held.size;
  }

  /**
   * [LEASE2] Serves the board from this node: the epoch to write with, or `BoardMoved` (another
   * node holds it, retry after `retryAfterMs`) or `BoardDeleted`.
   */
  async claim(boardId: string, context: ClaimContext = {}): Promise<Claim> {
    if (this.stopped) return fail('BoardMoved', 'This server is shutting down; retrying elsewhere.');
    const now = this.now();
    const held = this.held.get(boardId);
    // Surely ours for a while yet: no query (the renewal keeps validUntil ahead).
    if (held && held.validUntil - now > this.ttlMs / 3) {
      held.lastUsed = now;
      return { ok: true, epoch: held.epoch };
    }
    const refused = this.refused.get(boardId);
    if (refused && refused.until > now) return refused.failure;
    return this.serial(boardId, () => {
      // A claim that queued behind another may find the board claimed already.
      const current = this.held.get(boardId);
      if (current && current.validUntil - this.now() > this.ttlMs / 3) return Promise.resolve<Claim>({ ok: true, epoch: current.epoch });
      return this.claimNow(boardId, context);
    });
  }

  /**
   * [LEASE14] Another node was sent this board by the proxy (it came back up, and the hash points
   * there again): write what is pending, release the lease and close the board's connections so
   * its clients reconnect, through the proxy, to that node. Not while this node is stopping (it
   * releases everything anyway).
   *
   * Only for the lease the asking node was refused by (`askedEpoch`; none from an older node):
   * the ask reaches every node, the asker too, and may be heard late, after the asker took the
   * board at a higher epoch. Letting go then would hand the board to no one and cut its
   * connections for nothing.
   */
  async handOff(boardId: string, askedEpoch?: number): Promise<void> {
    const asked = () => {
      const held = this.held.get(boardId);
      return held !== undefined && (askedEpoch === undefined || held.epoch === askedEpoch) ? held.epoch : null;
    };
    const epoch = asked();
    if (this.stopped || epoch === null) return;
    this.log.info('handing the board over', { boardId, epoch });
    try {
      await this.beforeHandOff?.(boardId);
    } catch (error) {
      this.log.error('could not write before handing over', { boardId, error: String(error) });
    }
    const released = await this.serial(boardId, async () => {
      // A loss or a new claim meanwhile changed what this node holds: nothing to hand over.
      if (asked() !== epoch) return false;
      await this.releaseNow(boardId);
      return true;
    });
    if (released) this.notify(boardId, 'moved');
  }

  /** [FENCE1][FENCE5] The database refused a write as stale or the board is gone: let go now. */
  lose(boardId: string, reason: LossReason): void {
    const was = this.held.delete(boardId);
    if (reason === 'deleted')
      this.refused.set(boardId, { until: this.now() + 60_000, failure: fail('BoardDeleted', 'This board was deleted by its partners.') });
    if (was || reason === 'deleted') this.notify(boardId, reason);
  }

  /** [LEASE4] Clean shutdown: every lease released so the other nodes take the boards at once. */
  async releaseAll(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.renewing;
    await Promise.all([...this.held.keys()].map((boardId) => this.serial(boardId, () => this.releaseNow(boardId))));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }

  /** [LEASE3][LEASE4] One renewal round: unused boards released, the rest renewed in one statement. */
  async renew(): Promise<void> {
    if (this.renewing || this.stopped) return this.renewing ?? undefined;
    this.renewing = this.renewRound().finally(() => (this.renewing = null));
    return this.renewing;
  }

  private async renewRound(): Promise<void> {
    const started = this.now();
    const keep: { boardId: string; epoch: number }[] = [];
    for (const [boardId, held] of this.held) {
      if (!this.inUse(boardId) && started - held.lastUsed > this.ttlMs / 3 && !this.chains.has(boardId)) {
        void this.serial(boardId, () => this.releaseIfUnused(boardId));
      } else {
        if (this.inUse(boardId)) held.lastUsed = started;
        keep.push({ boardId, epoch: held.epoch });
      }
    }
    if (keep.length === 0) return;
    let result: { renewed: { boardId: string; epoch: number }[]; lost: string[] };
    try {
      result = await this.store.renewLeases(keep, this.ttlMs);
    } catch (error) {
      // Not renewed: the leases run out on their own unless the next round gets through.
      this.log.error('could not renew leases', { boards: keep.length, error: String(error) });
      this.onBackgroundError?.(error);
      return;
    }
    for (const lease of result.renewed) {
      const held = this.held.get(lease.boardId);
      if (held && held.epoch === lease.epoch) held.validUntil = started + this.ttlMs;
    }
    for (const boardId of result.lost) {
      const held = this.held.get(boardId);
      // A claim may have replaced the entry meanwhile; only the epoch we asked about is lost.
      if (held && keep.some((k) => k.boardId === boardId && k.epoch === held.epoch)) {
        this.log.warn('lease lost', { boardId, epoch: held.epoch });
        this.lose(boardId, 'moved');
      }
    }
  }

  private async claimNow(boardId: string, context: ClaimContext): Promise<Claim> {
    const started = this.now();
    const claimed = await this.store.claimLease(boardId, this.ttlMs);
    if (!claimed.ok) {
      const holder = 'holder' in claimed ? claimed.holder : undefined;
      // [LEASE14] The proxy sends this board here now: ask its holder to hand it over (a flush and
      // a release away, so the client comes back soon). A client that reached this node directly
      // (no proxy) never moves a board.
      const asking = claimed.code === 'LeaseHeld' && context.routed === true && holder !== undefined;
      const failure: Claim =
        claimed.code === 'BoardGone'
          ? fail('BoardDeleted', 'This board was deleted by its partners.')
          : {
              ...fail('BoardMoved', 'Another server is serving this board right now; retrying.'),
              retryAfterMs: asking ? HAND_OVER_RETRY_MS : holder ? Math.max(500, Math.min(this.ttlMs, holder.expiresAt - Date.now())) : 1_000
            };
      this.refused.set(boardId, { until: started + REFUSAL_CACHE_MS, failure });
      if (asking) {
        this.store
          .notify('leaseWanted', boardId, holder.epoch)
          .catch((error: unknown) => this.log.warn('could not ask for the board', { boardId, error: String(error) }));
      }
      return failure;
    }
    this.refused.delete(boardId);
    const previous = this.held.get(boardId);
    if (previous && previous.epoch !== claimed.lease.epoch) {
      // Someone else wrote in between: what this node has loaded for the board is stale.
      this.log.warn('lease epoch moved under us', { boardId, from: previous.epoch, to: claimed.lease.epoch });
      this.lose(boardId, 'moved');
    }
    this.held.set(boardId, { epoch: claimed.lease.epoch, validUntil: started + this.ttlMs, lastUsed: started });
    return { ok: true, epoch: claimed.lease.epoch };
  }

  private async releaseIfUnused(boardId: string): Promise<void> {
    const held = this.held.get(boardId);
    if (!held || this.inUse(boardId) || this.now() - held.lastUsed <= this.ttlMs / 3) return;
    await this.releaseNow(boardId);
  }

  private async releaseNow(boardId: string): Promise<void> {
    const held = this.held.get(boardId);
    if (!held) return;
    this.held.delete(boardId);
    try {
      const released = await this.store.releaseLease(boardId, held.epoch);
      if (!released.ok && released.code !== 'BoardGone') this.log.warn('lease release refused', { boardId, code: released.code });
    } catch (error) {
      // It expires on its own within the TTL.
      this.log.error('could not release lease', { boardId, error: String(error) });
    }
  }

  private notify(boardId: string, reason: LossReason): void {
    for (const listener of this.listeners) {
      try {
        listener(boardId, reason);
      } catch (error) {
        this.log.error('loss listener failed', { boardId, error: String(error) });
      }
    }
  }

  /** Claims and releases of one board, one after another. */
  private serial<T>(boardId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(boardId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.then(
      () => undefined,
      () => undefined
    );
    this.chains.set(boardId, tail);
    void tail.then(() => {
      if (this.chains.get(boardId) === tail) this.chains.delete(boardId);
    });
    return next;
  }
}
