import net from 'node:net';
import { expect, it } from 'vitest';
import { CLOSE_CODES, seatDoc } from '@pairboard/shared';
import { serveMetrics } from '../../server/src/ops/metricsServer.ts';
import { connectDoc, connectSocket, createBoard, joinBoard, waitFor, waitForSynced, type DocClient } from '../helpers/clients.ts';
import { useCleanup } from '../helpers/fixtures.ts';
import { recordReliability } from '../helpers/reliability.ts';
import { startServer, tempDataDir } from '../helpers/server.ts';
import { spawnServer } from '../helpers/serverProcess.ts';

const onCleanup = useCleanup();

/** Polls an async condition; never a fixed sleep. */
async function until<T>(check: () => Promise<T | false | undefined>, what: string, timeoutMs = 5_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function json(url: string) {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

it('[OPS1] /healthz says alive and /readyz ready, with counters', async () => {
  const server = await startServer();
  onCleanup(() => server.stop());
  const ana = await createBoard(server.url);
  const doc = connectDoc(ana, 'mentor');
  onCleanup(() => doc.destroy());
  await waitForSynced(doc);

  const health = await json(`${server.url}/healthz`);
  expect(health.status).toBe(200);
  expect(health.body).toMatchObject({ ok: true, draining: false, loadedRooms: 1, connections: { yjs: 1 }, recentFailureCount: 0 });
  const ready = await json(`${server.url}/readyz`);
  expect(ready.status).toBe(200);
  expect(ready.body).toMatchObject({ ok: true, database: 'ok', draining: false, loadedRooms: 1 });
  if ('quarantinedRows' in server.server.rooms) expect(ready.body.quarantinedRows).toBe(0);
});

it('[OPS1] /readyz answers 503 while draining', async () => {
  const server = await startServer();
  onCleanup(() => server.stop());
  server.server.ops.startDraining();
  const ready = await json(`${server.url}/readyz`);
  expect(ready.status).toBe(503);
  expect(ready.body).toMatchObject({ ok: false, draining: true });
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});

it('[OPS1, OPS5, OPS9] a database gone away: /readyz 503, the failed flush counted and reported (its message only on the loopback port), the process up', async () => {
  const server = await startServer();
  onCleanup(() => server.stop());
  const metrics = await serveMetrics(
    server.server.metrics,
    0,
    () => server.server.ops.refreshGauges(),
    (path) => server.server.ops.operatorHealth(path)
  );
  onCleanup(() => metrics.close());
  const ana = await createBoard(server.url);
  const doc = connectDoc(ana, 'mentor');
  onCleanup(() => doc.destroy());
  await waitForSynced(doc);

  server.store.close(); // the database file is no longer reachable from this process
  seatDoc.answer(doc.doc, 'journey').insert(0, 'typed while the database was gone');
  const report = await until(async () => {
    const r = await json(`${server.url}/readyz`);
    return r.body.backgroundErrors?.flush >= 1 && r;
  }, 'flush failure reported');
  expect(report.status).toBe(503);
  expect(report.body).toMatchObject({ ok: false, database: 'unreachable' });
  expect(report.body.backgroundErrors.flush).toBeGreaterThanOrEqual(1);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

  // [OPS9] Why the database is unreachable is on the operator's loopback port only.
  const operatorReady = await json(`http://127.0.0.1:${metrics.port}/readyz`);
  expect(operatorReady.status).toBe(503);
  expect(operatorReady.body).toMatchObject({ ok: false, database: 'unreachable', databaseError: expect.stringMatching(/\S/) });
  const databaseError = operatorReady.body.databaseError as string;
  const publicText = await (await fetch(`${server.url}/readyz`)).text();
  expect(publicText).not.toContain(databaseError);
  expect(publicText).not.toContain('databaseError');
  recordReliability({
    scenario: 'Database unreachable while a partner types',
    tried: 'closed the SQLite connection under a live server, then typed',
    figure: `/readyz 503 "unreachable" (why, "${databaseError.slice(0, 30)}…", only on the loopback port), ${report.body.backgroundErrors.flush} flush failure(s) counted, process up`,
    rules: ['OPS1', 'OPS5', 'OPS9']
  });
});

it('[OPS5, OPS9] after a background failure the public /healthz and /readyz carry counts only; the loopback port has the message', async () => {
  const server = await startServer();
  onCleanup(() => server.stop());
  const metrics = await serveMetrics(server.server.metrics, 0, undefined, (path) => server.server.ops.operatorHealth(path));
  onCleanup(() => metrics.close());
  const secret = 'SQLITE_IOERR at /srv/pairboard/data/boards.db (worker 7)';
  server.server.ops.background.record('checkpoint', new Error(secret));

  for (const path of ['/healthz', '/readyz']) {
    const res = await fetch(`${server.url}${path}`);
    expect(res.status, path).toBe(200);
    expect(res.headers.get('cache-control'), path).toBe('no-store');
    const body = (await res.json()) as Record<string, any>;
    expect(body, path).toMatchObject({ ok: true, draining: false, recentFailureCount: 1, backgroundErrors: { checkpoint: 1 } });
    const text = JSON.stringify(body);
    expect(text, path).not.toContain('SQLITE_IOERR');
    expect(text, path).not.toContain('/srv/pairboard');
    expect(body, path).not.toHaveProperty('recentFailures');
  }

  for (const path of ['/healthz', '/readyz']) {
    const operator = await json(`http://127.0.0.1:${metrics.port}${path}`);
    expect(operator.status, path).toBe(200);
    expect(operator.body, path).toMatchObject({
      ok: true,
      recentFailureCount: 1,
      recentFailures: [{ task: 'checkpoint', message: secret, count: 1 }],
      backgroundErrors: { checkpoint: 1 }
    });
  }
  // The metrics port still answers /metrics, and nothing else.
  expect((await fetch(`http://127.0.0.1:${metrics.port}/metrics`)).status).toBe(200);
  expect((await fetch(`http://127.0.0.1:${metrics.port}/healthz/../toString`)).status).toBe(404);
  expect((await fetch(`http://127.0.0.1:${metrics.port}/constructor`)).status).toBe(404);
});

it('[OPS2] /metrics in Prometheus text format on a loopback-only port; the public port has none', async () => {
  const server = await startServer();
  onCleanup(() => server.stop());
  const ana = await createBoard(server.url);
  const doc = connectDoc(ana, 'mentor');
  onCleanup(() => doc.destroy());
  await waitForSynced(doc);
  seatDoc.answer(doc.doc, 'journey').insert(0, 'hello');
  await until(async () => (await server.server.metrics.updates.get()).values[0]?.value, 'an update stored');

  const metrics = await serveMetrics(server.server.metrics, 0, () => server.server.ops.refreshGauges());
  onCleanup(() => metrics.close());
  const res = await fetch(`http://127.0.0.1:${metrics.port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await res.text();
  expect(text).toMatch(/^pairboard_connections\{kind="yjs"\} 1$/m);
  expect(text).toMatch(/^pairboard_rooms_loaded 1$/m);
  expect(text).toMatch(/^pairboard_updates_total [1-9]/m);
  expect(text).toMatch(/^pairboard_flush_seconds_count [1-9]/m);
  expect(text).toMatch(/^pairboard_process_nodejs_eventloop_lag_seconds /m);
  expect(text).toContain('# TYPE pairboard_refusals_total counter');
  // Only on loopback: the same port on another local address refuses the connection.
  expect(await canConnect(metrics.port, '127.0.0.1')).toBe(true);
  const lan = Object.values((await import('node:os')).networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal);
  if (lan) expect(await canConnect(metrics.port, lan.address)).toBe(false);
  expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
});

function canConnect(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, host, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

it('[OPS3] SIGTERM while both partners type: exit 0 within 10 s, reconnect code, nothing lost after the restart', async () => {
  const dataDir = tempDataDir();
  const env = { PORT: String(await freePort()), METRICS_PORT: '0' };
  let server = await spawnServer(dataDir, env);
  onCleanup(() => server.stop('SIGKILL'));
  const ana = await createBoard(server.url, 'Ana', 'mentor');
  const ben = await joinBoard(server.url, ana.boardId, 'Ben');
  const writers: DocClient[] = [connectDoc(ana, 'mentor'), connectDoc(ben, 'mentee')];
  const closeCodes: number[] = [];
  for (const w of writers) {
    onCleanup(() => w.destroy());
    w.provider.on('connection-close', (event: { code: number } | null) => event && closeCodes.push(event.code));
  }
  const sockets = [connectSocket(ana), connectSocket(ben)];
  const socketEvents: string[] = [];
  for (const s of sockets) {
    onCleanup(() => s.close());
    s.on('disconnect', (reason) => socketEvents.push(`disconnect:${reason}:${s.active ? 'will-retry' : 'gave-up'}`));
  }
  await Promise.all(writers.map(waitForSynced));
  await waitFor(() => sockets.every((s) => s.connected), 'sockets connected');

  // Both type a character every 2 ms until the process has exited, and again once it is back.
  const typed = [0, 0];
  let typing: NodeJS.Timeout | undefined;
  const startTyping = () =>
    (typing = setInterval(() => {
      writers.forEach((w, i) => {
        seatDoc.answer(w.doc, 'journey').insert(typed[i]!, String.fromCharCode(97 + (typed[i]! % 26)));
        typed[i]!++;
      });
    }, 2));
  startTyping();
  onCleanup(() => clearInterval(typing));
  await waitFor(() => typed[0]! >= 100, 'typing under way');

  const signalled = performance.now();
  const exit = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
  server.child.kill('SIGTERM');
  const code = await exit;
  const exitMs = performance.now() - signalled;
  // Paused while the server is down: an edit made on top of offline edits must not reach the
  // server before the resync does (see the report on HARD1's missing-dependency refusal).
  clearInterval(typing);
  expect(code).toBe(0);
  expect(exitMs).toBeLessThan(10_000);
  expect(closeCodes).toContain(CLOSE_CODES.ServerRestarting);
  expect(socketEvents.length).toBeGreaterThan(0);
  expect(socketEvents.every((e) => e.endsWith('will-retry'))).toBe(true);

  server = await spawnServer(dataDir, env);
  // The same clients reconnect by themselves (same address) and send what they typed meanwhile.
  await waitFor(() => writers.every((w) => w.provider.wsconnected && w.provider.synced) && sockets.every((s) => s.connected), 'clients back', 10_000);
  const typedAtReconnect = typed[0]!;
  startTyping();
  await waitFor(() => typed[0]! >= typedAtReconnect + 100, 'more typing after the restart', 10_000);
  clearInterval(typing);
  const expected = writers.map((w) => seatDoc.answer(w.doc, 'journey').toString());

  // A fresh reader of each document sees every character each partner typed.
  const readers = [connectDoc(ben, 'mentor'), connectDoc(ana, 'mentee')];
  for (const r of readers) onCleanup(() => r.destroy());
  await Promise.all(readers.map(waitForSynced));
  await waitFor(() => readers.every((r, i) => seatDoc.answer(r.doc, 'journey').toString() === expected[i]), 'readers converge', 10_000);
  expect(expected.map((t) => t.length)).toEqual(typed);
  recordReliability({
    scenario: 'SIGTERM (deploy) while both partners type',
    tried: `2 partners typing every 2 ms; SIGTERM; restart on the same port; clients reconnect by themselves`,
    figure: `exit 0 in ${(exitMs / 1000).toFixed(2)} s (bound 10 s); Yjs closed with ${CLOSE_CODES.ServerRestarting} ServerRestarting; 0 of ${typed[0]! + typed[1]!} characters lost`,
    rules: ['OPS3', 'PERS1']
  });
});
