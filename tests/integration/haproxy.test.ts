import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { checkHaproxyConfig, haproxyEnv, startHaproxy, type TestHaproxy } from '../helpers/haproxy.ts';
import { freePort } from '../helpers/ports.ts';

/**
 * The shipped deploy/haproxy.cfg in front of two stand-in nodes (real processes): every URL of a
 * board reaches the same node, boards spread over both, and a node killed with SIGKILL is taken
 * out so its boards move to the other one while the other's boards stay put.
 */

// A stand-in node: answers /readyz, echoes its id over HTTP and over a websocket upgrade.
const NODE_SOURCE = `
const http = require('node:http');
const crypto = require('node:crypto');
const id = process.env.NODE_ID;
let ready = true;
const server = http.createServer((req, res) => {
  // A draining node answers /readyz with 503 (the stand-in is told so on /test/ready/0).
  if (req.url === '/readyz') { res.writeHead(ready ? 200 : 503).end(ready ? 'ready' : 'draining'); return; }
  if (req.url.startsWith('/test/ready/')) { ready = req.url.endsWith('/1'); res.writeHead(204).end(); return; }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ node: id, url: req.url }));
});
server.on('upgrade', (req, socket) => {
  const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write('HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: ' + accept + '\\r\\n\\r\\n');
  const payload = Buffer.from(id);
  socket.write(Buffer.concat([Buffer.from([0x81, payload.length]), payload]));
  socket.on('error', () => {});
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening\\n'));
`;

type StandIn = { id: string; address: string; child: ChildProcess };

async function startStandIn(id: string): Promise<StandIn> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', NODE_SOURCE], {
    env: { ...process.env, NODE_ID: id, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit']
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`stand-in ${id} exited with ${code}`)));
  });
  return { id, address: `127.0.0.1:${port}`, child };
}

const boardId = (i: number) => `routingBoard${String(i).padStart(10, '0')}`; // 22 chars, like real ids

async function httpNode(url: string, init?: RequestInit): Promise<string> {
  const res = await fetch(url, init);
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}`);
  return ((await res.json()) as { node: string }).node;
}

function wsNode(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('message', (data) => {
      resolve(data.toString());
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

/** Which node serves each of a board's URLs, through the proxy. */
async function nodesOfBoard(proxy: string, id: string): Promise<string[]> {
  const ws = proxy.replace('http://', 'ws://');
  return Promise.all([
    httpNode(`${proxy}/b/${id}`),
    httpNode(`${proxy}/api/boards/${id}`),
    httpNode(`${proxy}/api/boards/${id}/seats`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } }),
    httpNode(`${proxy}/socket.io/?EIO=4&transport=polling&board=${id}`),
    wsNode(`${ws}/socket.io/?EIO=4&transport=websocket&board=${id}`),
    wsNode(`${ws}/yjs/${id}/mentor`),
    wsNode(`${ws}/yjs/${id}/shared`)
  ]);
}

async function waitFor<T>(probe: () => Promise<T | null | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('deploy/haproxy.cfg', () => {
  let nodes: StandIn[] = [];
  let proxy: TestHaproxy;

  beforeAll(async () => {
    nodes = [await startStandIn('node1'), await startStandIn('node2')];
    proxy = await startHaproxy({ node1: nodes[0]!.address, node2: nodes[1]!.address });
  });
  afterAll(async () => {
    await proxy?.stop();
    for (const node of nodes) node.child.kill('SIGKILL');
  });

  it('[LEASE7] passes `haproxy -c` with its environment set, and names what is missing without it', () => {
    expect(checkHaproxyConfig(haproxyEnv(8080, '127.0.0.1:3001', '127.0.0.1:3002'))).toMatchObject({ ok: true });
    const missing = checkHaproxyConfig({});
    expect(missing.ok).toBe(false);
    expect(missing.output).toMatch(/missing port|expects <name> and <addr>/);
  });

  it('[LEASE7] sends every URL of a board to one node, and spreads boards over both', async () => {
    const placement = new Map<string, string>();
    for (let i = 0; i < 16; i++) {
      const seen = await nodesOfBoard(proxy.url, boardId(i));
      expect(new Set(seen).size, `${boardId(i)} reached ${seen.join(', ')}`).toBe(1);
      placement.set(boardId(i), seen[0]!);
    }
    expect(new Set(placement.values())).toEqual(new Set(['node1', 'node2']));
    // Requests without a board id (new boards, assets) are balanced too, and still answered.
    expect(['node1', 'node2']).toContain(await httpNode(`${proxy.url}/api/boards`, { method: 'POST', body: '{}' }));
  });

  it('[LEASE8] a draining node (/readyz 503) gets no new requests; its boards come back when it is ready again', async () => {
    const before = new Map<string, string>();
    for (let i = 0; i < 16; i++) before.set(boardId(i), await httpNode(`${proxy.url}/b/${boardId(i)}`));
    const [, node2] = nodes;
    await fetch(`http://${node2!.address}/test/ready/0`);
    await waitFor(async () => /node2 is DOWN/.test(proxy.log()), 10_000);
    for (const id of before.keys()) expect(await httpNode(`${proxy.url}/api/boards/${id}`)).toBe('node1');
    await fetch(`http://${node2!.address}/test/ready/1`);
    await waitFor(async () => /node2 is UP/.test(proxy.log()), 10_000);
    // Consistent hashing: every board is back exactly where it was.
    for (const [id, node] of before) expect(await httpNode(`${proxy.url}/b/${id}`)).toBe(node);
  });

  it("[LEASE8] a node killed with SIGKILL: its boards move to the other node, the other node's boards stay", async () => {
    const before = new Map<string, string>();
    for (let i = 0; i < 16; i++) before.set(boardId(i), await httpNode(`${proxy.url}/b/${boardId(i)}`));
    const victim = nodes[0]!;
    const started = Date.now();
    victim.child.kill('SIGKILL');
    // Health checks take the dead node out; every board then answers, all from the survivor.
    await waitFor(async () => {
      for (const id of before.keys()) if ((await httpNode(`${proxy.url}/b/${id}`)) !== 'node2') return false;
      return true;
    }, 10_000);
    const failoverMs = Date.now() - started;
    for (const [id, node] of before) {
      const seen = await nodesOfBoard(proxy.url, id);
      expect(new Set(seen)).toEqual(new Set(['node2']));
      if (node === 'node2') expect(seen[0]).toBe(node);
    }
    expect(failoverMs).toBeLessThan(10_000);
    // Requests meanwhile were redispatched; the health check on /readyz marks the node down.
    await waitFor(async () => /node1 is DOWN/.test(proxy.log()), 10_000);
    console.info(`[haproxy] all boards on the survivor ${failoverMs} ms after SIGKILL`);
  });
});
