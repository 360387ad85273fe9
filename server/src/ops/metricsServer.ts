import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from '../observability/metrics.ts';
import type { Report } from './health.ts';

/** [OPS9] The operator's full health report for a path (`/healthz`, `/readyz`), or null when there is none. */
export type OperatorHealth = (path: string) => Promise<Report | null>;

/**
 * [OPS2] Prometheus metrics on their own port, bound to 127.0.0.1 whatever HOST says: the numbers
 * describe every pair's traffic and are for the operator's scraper, never for the public. The public
 * server has no /metrics route at all. [OPS9] The same port answers /healthz and /readyz in full,
 * with the failure messages the public checks leave out.
 */
export async function serveMetrics(
  metrics: Metrics,
  port: number,
  beforeScrape: () => void = () => {},
  operatorHealth: OperatorHealth = async () => null
): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer(async (req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method === 'GET' && path !== '/metrics') {
      try {
        const report = await operatorHealth(path);
        if (report) {
          res.writeHead(report.status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(report.body));
          return;
        }
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`health failed: ${String(error)}\n`);
        return;
      }
    }
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    try {
      beforeScrape();
      const body = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics failed: ${String(error)}\n`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  server.unref();
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
