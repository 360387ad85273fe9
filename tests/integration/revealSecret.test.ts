import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { DOC_NAMES, seatDoc } from '@pairboard/shared';
import { act, connectDoc, op, waitFor, waitForSynced, type Partner } from '../helpers/clients.ts';
import { usePair } from '../helpers/fixtures.ts';

const { pair, seat, onCleanup } = usePair();

/**
 * A TCP relay in front of the server that keeps every byte the server sends through it: all of one
 * browser's connections (Socket.IO and each Yjs document) go through it, so "never reached the
 * partner" is checked on the wire, below every decoder. Neither endpoint compresses its frames
 * (Socket.IO and ws default to no permessage-deflate), so text sent is text on the wire.
 */
async function recordingRelay(targetPort: number) {
  const received: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      received.push(Buffer.from(chunk));
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Everything received so far, as one string (a canary split across TCP chunks is still found). */
    text: () => Buffer.concat(received).toString('latin1'),
    bytes: () => received.reduce((n, b) => n + b.length, 0),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      })
  };
}

describe("reveal together keeps the hidden answer off the partner's wire", () => {
  it("[REV5][REV6] every frame Ben's sockets receive lacks Ana's hidden answer until both pressed reveal, and carries it after", async () => {
    const { server, ana, ben } = await pair();
    const relay = await recordingRelay(server.port);
    onCleanup(() => relay.close());
    const benOnWire: Partner = { ...ben, baseUrl: relay.url, origin: relay.url };

    // Ben's browser as the page opens it: the socket and all three documents, all through the relay.
    const b = await seat(benOnWire);
    const benDocs = DOC_NAMES.map((name) => connectDoc(benOnWire, name));
    for (const d of benDocs) onCleanup(() => d.destroy());
    await Promise.all(benDocs.map(waitForSynced));
    const a = await seat(ana);
    const anaOwn = connectDoc(ana, 'mentor');
    onCleanup(() => anaOwn.destroy());
    await waitForSynced(anaOwn);

    const canary = `CANARY-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
    const control = `CONTROL-${Math.random().toString(36).slice(2)}`;

    expect(await act(a.socket, 'session:act', { type: 'reveal:switch', opId: op(), promptId: 'why-tech' })).toMatchObject({ ok: true });
    // Ana types: the page saves growing drafts, as a debounced textarea does.
    for (const end of [8, 16, canary.length]) {
      expect(
        await act(a.socket, 'session:act', { type: 'reveal:draft', opId: op(), promptId: 'why-tech', text: `Left teaching\n${canary.slice(0, end)}` })
      ).toMatchObject({ ok: true });
    }
    expect(await act(b.socket, 'session:act', { type: 'reveal:draft', opId: op(), promptId: 'why-tech', text: 'A game I loved' })).toMatchObject({ ok: true });
    expect(await act(a.socket, 'session:act', { type: 'reveal:ready', opId: op(), promptId: 'why-tech' })).toMatchObject({ ok: true });
    // A live answer Ana writes meanwhile does reach Ben: the recording would see a leak.
    seatDoc.answer(anaOwn.doc, 'journey').insert(0, control);
    await waitFor(() => b.latest['session:view']?.reveal.prompts[0]?.partner.status === 'ready', 'Ben sees Ana is ready');
    await waitFor(() => relay.text().includes(control), "the control text on Ben's wire");
    await waitFor(() => seatDoc.answer(benDocs[0]!.doc, 'journey').toString() === control, "Ben's mentor document has the live answer");

    const before = relay.text();
    expect(relay.bytes()).toBeGreaterThan(0);
    expect(before).not.toContain(canary);
    expect(before).not.toContain(canary.slice(0, 16));
    expect(before).not.toContain('Left teaching');
    expect(JSON.stringify(b.frames)).not.toContain('CANARY-');
    expect(b.latest['session:view'].reveal.prompts[0].partner).toEqual({ status: 'ready', text: null });

    // Ben presses reveal: both answers at once.
    expect(await act(b.socket, 'session:act', { type: 'reveal:ready', opId: op(), promptId: 'why-tech' })).toMatchObject({ ok: true });
    await waitFor(() => b.latest['session:view'].reveal.prompts[0].partner.text?.includes(canary), "Ben sees Ana's answer");
    await waitFor(() => a.latest['session:view'].reveal.prompts[0].partner.text === 'A game I loved', "Ana sees Ben's answer");
    expect(relay.text()).toContain(canary);
  });

  it('[REV3][REV5] a seat writes only its own draft, and hidden drafts are stored (session state v2)', async () => {
    const { server, ana, ben } = await pair();
    const a = await seat(ana);
    const b = await seat(ben);
    await act(a.socket, 'session:act', { type: 'reveal:switch', opId: op(), promptId: 'charter-values' });
    await act(a.socket, 'session:act', { type: 'reveal:draft', opId: op(), promptId: 'charter-values', text: 'kept' });
    // The payload cannot name a seat: an extra field is stripped, the draft stays Ben's own.
    await act(b.socket, 'session:act', { type: 'reveal:draft', opId: op(), promptId: 'charter-values', text: 'mine', seat: 'mentor' });
    await waitFor(() => a.latest['session:view'].reveal.prompts[0]?.partner.status === 'writing', 'Ana sees Ben writing');
    expect(a.latest['session:view'].reveal.prompts[0].mine.text).toBe('kept');
    expect(await act(a.socket, 'session:act', { type: 'reveal:draft', opId: op(), promptId: 'charter-values', text: 'x'.repeat(2001) })).toMatchObject({
      ok: false,
      code: 'BadRequest'
    });
    a.socket.close();
    b.socket.close();
    const stored = JSON.parse((await server.store.loadState(ana.boardId, 'session'))!.json);
    expect(stored.v).toBe(2);
    expect(stored.state.reveal.prompts[0].drafts).toMatchObject({ mentor: { text: 'kept' }, mentee: { text: 'mine' } });
  });
});
