import pg from 'pg';
import type { Logger } from '../log.ts';

/** Channel names go into LISTEN unquoted-by-parameter (LISTEN takes none): only plain names pass. */
const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export type NotificationHandler = (payload: string) => void;

/**
 * LISTEN/NOTIFY on one dedicated connection, for rare cross-node signals [LEASE5]. A pooled
 * connection cannot listen (it goes back to the pool), so this keeps its own client and, when
 * that connection drops (database restart, network), reconnects with backoff and listens again
 * on every channel. A notification sent while it was reconnecting is lost, which is why signals
 * are only hints: the database (lease rows, tombstones) stays the truth.
 */
export class PostgresListener {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  private readonly handlers = new Map<string, Set<NotificationHandler>>();
  private closed = false;
  private retryMs = 100;
  private retryTimer: NodeJS.Timeout | null = null;
  /** How many times the connection was (re)established; tests watch it. */
  connections = 0;

  constructor(
    private readonly config: pg.ClientConfig,
    private readonly log?: Logger
  ) {}

  /** Resolves once the channel is listened to; returns the unsubscribe. */
  async subscribe(channel: string, handler: NotificationHandler): Promise<() => Promise<void>> {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`Not a channel name: ${channel}`);
    let set = this.handlers.get(channel);
    const isNew = !set;
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    try {
      const client = await this.connect();
      if (isNew) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      // Not listening: leave nothing registered that would look as if it were.
      set.delete(handler);
      if (set.size === 0) this.handlers.delete(channel);
      throw error;
    }
    return async () => {
      set.delete(handler);
      if (set.size > 0 || this.handlers.get(channel) !== set) return;
      this.handlers.delete(channel);
      await this.client?.query(`UNLISTEN ${channel}`).catch(() => {});
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client ?? (await this.connecting?.catch(() => null));
    this.client = null;
    await client?.end().catch(() => {});
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async open(): Promise<pg.Client> {
    if (this.closed) throw new Error('listener closed');
    const client = new pg.Client(this.config);
    client.on('notification', (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) {
        try {
          handler(message.payload ?? '');
        } catch (error) {
          this.log?.error('signal handler failed', { channel: message.channel, error: String(error) });
        }
      }
    });
    // Both fire when the connection dies; one reconnect is enough.
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = null;
      if (this.closed) return;
      this.log?.warn('signal connection lost; reconnecting', { error: String(error ?? 'ended') });
      this.scheduleReconnect();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
    } catch (error) {
      lost = true;
      await client.end().catch(() => {});
      throw error;
    }
    this.client = client;
    this.connections++;
    this.retryMs = 100;
    return client;
  }

  private scheduleReconnect(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect().catch((error: unknown) => {
        this.log?.warn('signal reconnect failed', { error: String(error), retryMs: this.retryMs });
        this.retryMs = Math.min(this.retryMs * 2, 5_000);
        this.scheduleReconnect();
      });
    }, this.retryMs);
    this.retryTimer.unref();
  }
}
