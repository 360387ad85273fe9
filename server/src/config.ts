import path from 'node:path';
import { z } from 'zod';

/** Every setting, parsed once over its default. Documented in .env.example. */
const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATA_DIR: z.string().min(1).default('./data'),
    /** Public URL(s) of the app, comma-separated; same-origin requests are always allowed too. */
    ORIGIN: z.string().optional(),
    /** [OPS2] Prometheus /metrics on 127.0.0.1 only; `off` disables it, 0 picks a free port. */
    METRICS_PORT: z.union([z.literal('off'), z.coerce.number().int().min(0).max(65535)]).default(9464),
    /** [OPS3] Longest a SIGTERM/SIGINT drain may take before the process exits anyway. */
    DRAIN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8_000),
    /** How long a Yjs room stays in memory after its last connection closes. */
    ROOM_UNLOAD_MS: z.coerce.number().int().min(0).default(30_000),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info')
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
    metricsPort: env.METRICS_PORT === 'off' ? null : env.METRICS_PORT,
    drainTimeoutMs: env.DRAIN_TIMEOUT_MS,
    logLevel: env.LOG_LEVEL
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
