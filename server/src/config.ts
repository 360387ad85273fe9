import { randomBytes } from 'node:crypto';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** Express `trust proxy` values we accept: off, a hop count, or addresses/subnets/named ranges. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const trustProxySchema = z
  .string()
  .trim()
  .default('')
  .transform((value, ctx): boolean | number | string => {
    if (value === '' || value === 'false') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) return Number(value);
    const bad = value
      .split(',')
      .map((t) => t.trim())
      .filter((t) => {
        const [ip, bits, ...rest] = t.split('/');
        if (PROXY_NAMES.has(t)) return false;
        return rest.length > 0 || !net.isIP(ip ?? '') || (bits !== undefined && !/^\d{1,3}$/.test(bits));
      });
    if (bad.length) ctx.addIssue({ code: 'custom', message: `not an address, subnet or loopback/linklocal/uniquelocal: ${bad.join(', ')}` });
    return value;
  });
/** An empty value (`NODE_ID=` in .env) means "use the default", not "the empty string". */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);
const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** Every setting, parsed once over its default. Documented in .env.example. */
const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default('./data'),
    /** [LEASE1] postgres://… selects the shared Postgres store (several nodes); otherwise SQLite in DATA_DIR. */
    DATABASE_URL: z
      .string()
      .trim()
      .optional()
      .refine((url) => !url || /^postgres(ql)?:\/\//.test(url), 'DATABASE_URL must be a postgres:// URL (or unset for SQLite)'),
    /** This node's name in lease rows; must differ between live processes. Default: host:port:boot id. */
    NODE_ID: unsetIfEmpty(z.string().trim().min(1).max(200).optional()),
    /** [LEASE1][LEASE3] How long a board's lease lasts unless renewed (every third of it). */
    LEASE_TTL_MS: z.coerce.number().int().min(300).max(600_000).default(15_000),
    /**
     * [LEASE8] On SIGTERM, how long /readyz answers 503 before connections close, so the proxy
     * stops routing here first. Default 2.5 s with Postgres (behind a proxy), 0 with SQLite (one node).
     */
    DRAIN_DELAY_MS: unsetIfEmpty(z.coerce.number().int().min(0).max(60_000).optional()),
    /** Public URL(s) of the app, comma-separated; same-origin requests are always allowed too. */
    ORIGIN: z.string().optional(),
    /** [OPS2] Prometheus /metrics on 127.0.0.1 only; `off` disables it, 0 picks a free port. */
    METRICS_PORT: z.union([z.literal('off'), z.coerce.number().int().min(0).max(65535)]).default(9464),
    /** [OPS3] Longest a SIGTERM/SIGINT drain may take before the process exits anyway. */
    DRAIN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8_000),
    /** How long a Yjs room stays in memory after its last connection closes. */
    ROOM_UNLOAD_MS: z.coerce.number().int().min(0).default(30_000),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    // Edges (SPEC EDGE…): who the client is, and how much a client may ask of the server.
    TRUST_PROXY: trustProxySchema,
    RATE_LIMIT_API_PER_MINUTE: positiveInt(300),
    RATE_LIMIT_SEAT_PER_MINUTE: positiveInt(120),
    RATE_LIMIT_BOARDS_PER_HOUR: positiveInt(30),
    SOCKET_CONNECT_TIMEOUT_MS: positiveInt(5_000),
    SOCKET_MAX_MESSAGE_BYTES: positiveInt(64 * 1024),
    MAX_ANONYMOUS_SOCKETS_PER_IP: positiveInt(10),
    MAX_SOCKETS_PER_IP: positiveInt(256),
    MAX_SOCKETS_PER_SEAT: positiveInt(4)
  })
  .transform((env) => ({
    port: env.PORT,
    host: env.HOST,
    dataDir: path.resolve(env.DATA_DIR),
    origins: (env.ORIGIN ?? `http://localhost:${env.PORT}`)
      .split(',')
      .map((o) => o.trim().replace(/\/$/, ''))
      .filter(Boolean),
    roomUnloadMs: env.ROOM_UNLOAD_MS,
    databaseUrl: env.DATABASE_URL || null,
    // A boot id, so two live processes never share a node id even on the same host and port.
    nodeId: env.NODE_ID ?? `${os.hostname()}:${env.PORT}:${randomBytes(4).toString('hex')}`,
    leaseTtlMs: env.LEASE_TTL_MS,
    drainDelayMs: env.DRAIN_DELAY_MS ?? (env.DATABASE_URL ? 2_500 : 0),
    metricsPort: env.METRICS_PORT === 'off' ? null : env.METRICS_PORT,
    drainTimeoutMs: env.DRAIN_TIMEOUT_MS,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY,
    edges: {
      apiPerMinute: env.RATE_LIMIT_API_PER_MINUTE,
      seatPerMinute: env.RATE_LIMIT_SEAT_PER_MINUTE,
      boardsPerHour: env.RATE_LIMIT_BOARDS_PER_HOUR,
      socketConnectTimeoutMs: env.SOCKET_CONNECT_TIMEOUT_MS,
      socketMaxMessageBytes: env.SOCKET_MAX_MESSAGE_BYTES,
      anonymousSocketsPerIp: env.MAX_ANONYMOUS_SOCKETS_PER_IP,
      socketsPerIp: env.MAX_SOCKETS_PER_IP,
      socketsPerSeat: env.MAX_SOCKETS_PER_SEAT
    }
  }));

export type Config = z.output<typeof configSchema>;

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return parsed.data;
}
