import { describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server.ts';
import { act, createBoard, joinBoard, op, waitFor, type Partner } from '../helpers/clients.ts';
import { usePair } from '../helpers/fixtures.ts';

const { pair, seat, onCleanup } = usePair();

describe('goal veto over Socket.IO', () => {
  it('[VETO3][VETO5] one veto makes the board goal-free for both; ballots stay hidden until both voted', async () => {
    const { ana, ben } = await pair();
    const a = await seat(ana);
    const b = await seat(ben);
    expect(await act(a.socket, 'session:act', { type: 'veto:call', opId: op() })).toMatchObject({ ok: true });
    await waitFor(() => b.latest['session:view'].veto.open, 'Ben sees the vote');
    const voteId = b.latest['session:view'].veto.open.id;
    expect(await act(a.socket, 'session:act', { type: 'veto:cast', opId: op(), voteId, ballot: 'goals' })).toMatchObject({ ok: true });
    await waitFor(() => b.latest['session:view'].veto.open?.partnerHasVoted, 'Ben learns Ana voted');
    // Nothing Ben received so far carries Ana's ballot.
    const seenByBen = JSON.stringify(b.frames);
    expect(seenByBen).not.toContain('"ballots"');
    expect(seenByBen).not.toContain('"yourBallot":"goals"');
    expect(await act(b.socket, 'session:act', { type: 'veto:cast', opId: op(), voteId, ballot: 'veto' })).toMatchObject({ ok: true });
    await waitFor(() => a.latest['session:view'].veto.mode === 'goal-free', 'Ana goal-free');
    await waitFor(() => b.latest['session:view'].veto.mode === 'goal-free', 'Ben goal-free');
    expect(a.latest['session:view'].veto.history.at(-1)).toMatchObject({ ballots: { mentor: 'goals', mentee: 'veto' }, outcome: 'goal-free' });
  });

  it('[VETO4][SESS2] a partner cannot vote twice; a retried vote counts once; junk gets a clear error', async () => {
    const { ana, ben } = await pair();
    const a = await seat(ana);
    await seat(ben);
    await act(a.socket, 'session:act', { type: 'veto:call', opId: op() });
    const voteId = a.latest['session:view'].veto.open?.id ?? 1;
    const once = { type: 'veto:cast', opId: op(), voteId, ballot: 'goals' };
    expect(await act(a.socket, 'session:act', once)).toMatchObject({ ok: true });
    expect(await act(a.socket, 'session:act', once)).toMatchObject({ ok: true }); // same op id: a retry
    expect(await act(a.socket, 'session:act', { ...once, opId: op(), ballot: 'veto' })).toMatchObject({ ok: false, code: 'AlreadyDone' });
    expect(await act(a.socket, 'session:act', { type: 'veto:cast', opId: op(), voteId, ballot: 'maybe' })).toMatchObject({ ok: false, code: 'BadRequest' });
    expect(await act(a.socket, 'session:act', { type: 'nonsense' })).toMatchObject({ ok: false, code: 'BadRequest' });
    expect(a.latest['session:view'].veto.open.yourBallot).toBe('goals');
  });

  it('[VETO9][SESS4] a vote survives a server restart mid-vote', async () => {
    const { server, ana, ben } = await pair();
    const a = await seat(ana);
    await act(a.socket, 'session:act', { type: 'veto:call', opId: op() });
    const voteId = a.latest['session:view'].veto.open.id;
    await act(a.socket, 'session:act', { type: 'veto:cast', opId: op(), voteId, ballot: 'veto' });
    a.socket.close();
    await server.stop();

    const again = await startServer({ dataDir: server.dataDir });
    onCleanup(() => again.stop());
    const move = (p: Partner) => ({ ...p, baseUrl: again.url, origin: again.url });
    const b = await seat(move(ben));
    expect(b.latest['session:view'].veto.open).toMatchObject({ id: voteId, partnerHasVoted: true, yourBallot: null });
    await act(b.socket, 'session:act', { type: 'veto:cast', opId: op(), voteId, ballot: 'goals' });
    await waitFor(() => b.latest['session:view'].veto.mode === 'goal-free', 'one veto was enough');
  });
});

describe('call it a day over Socket.IO', () => {
  it('[DAY2][DAY8] propose, agree, private vibe checks revealed together, meeting logged, next meeting', async () => {
    const { ana, ben } = await pair();
    const a = await seat(ana);
    const b = await seat(ben);
    const summary = { promptsAnswered: 3, reflectionsLanded: 1, reflectionsTotal: 2, gamesPlayed: 0, parkedPromptIds: ['pet-peeves'] };
    expect(await act(a.socket, 'session:act', { type: 'day:agree', opId: op() })).toMatchObject({ ok: false });
    await act(a.socket, 'session:act', { type: 'day:propose', opId: op() });
    expect(await act(a.socket, 'session:act', { type: 'day:agree', opId: op() })).toMatchObject({ ok: false });
    await act(b.socket, 'session:act', { type: 'day:agree', opId: op() });
    await waitFor(() => a.latest['session:view'].meeting.phase === 'vibe-check', 'vibe check');
    await act(a.socket, 'session:act', { type: 'day:vibe', opId: op(), score: 4, summary });
    await waitFor(() => b.latest['session:view'].meeting.vibe.partnerHasGiven, 'Ben knows Ana gave hers');
    expect(b.latest['session:view'].meeting.vibe.partner).toBeNull();
    await act(b.socket, 'session:act', { type: 'day:vibe', opId: op(), score: 5, summary });
    await waitFor(() => a.latest['session:view'].meeting.phase === 'closed', 'closed');
    expect(a.latest['session:view'].meeting.log.at(-1)).toMatchObject({ number: 1, vibe: { mentor: 4, mentee: 5 } });
    await act(b.socket, 'session:act', { type: 'day:startNext', opId: op() });
    await waitFor(() => a.latest['session:view'].meeting.number === 2, 'meeting 2');
    expect(a.latest['session:view'].meeting.carriedOver).toEqual(['pet-peeves']);
  });
});

describe('mentoring agreement over Socket.IO', () => {
  it('[AGR2] any change after signing clears both signatures and both partners are told', async () => {
    const { ana, ben } = await pair();
    const a = await seat(ana);
    const b = await seat(ben);
    await act(a.socket, 'session:act', { type: 'agreement:edit', opId: op(), field: 'meetings', value: 'Tuesdays 8am, video' });
    const version = a.latest['session:view'].agreement.version;
    expect(await act(a.socket, 'session:act', { type: 'agreement:sign', opId: op(), version })).toMatchObject({ ok: true });
    expect(await act(b.socket, 'session:act', { type: 'agreement:sign', opId: op(), version })).toMatchObject({ ok: true });
    await waitFor(() => a.latest['session:view'].agreement.signatures.mentee, 'both signed');
    await act(b.socket, 'session:act', { type: 'agreement:edit', opId: op(), field: 'meetings', value: 'Tuesdays 9am, video' });
    await waitFor(() => a.latest['session:notice']?.kind === 'signaturesCleared', 'Ana told');
    await waitFor(() => b.latest['session:notice']?.kind === 'signaturesCleared', 'Ben told');
    expect(a.latest['session:view'].agreement.signatures).toEqual({ mentor: null, mentee: null });
  });
});

describe('limits', () => {
  it('[RATE1] actions are rate-limited per seat with a clear error', async () => {
    const { ana } = await pair();
    const a = await seat(ana);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => act(a.socket, 'session:act', { type: 'prompts:add', opId: op(), id: `own-p${i}`, text: `Question ${i}?` }))
    );
    expect(results.some((r) => r.code === 'RateLimited')).toBe(true);
  });
});

describe('guidance over Socket.IO', () => {
  it('[GUIDE2] no goal-free vote and no "call it a day" before the partner has joined; both work once they have', async () => {
    const server = await startServer();
    onCleanup(() => server.stop());
    const ana = await createBoard(server.url, 'Ana', 'mentor');
    const a = await seat(ana);
    for (const type of ['veto:call', 'day:propose'])
      expect(await act(a.socket, 'session:act', { type, opId: op() })).toMatchObject({
        ok: false,
        code: 'WrongPhase',
        message: expect.stringMatching(/not joined yet/)
      });
    // The agreement is fine alone.
    expect(await act(a.socket, 'session:act', { type: 'agreement:edit', opId: op(), field: 'meetings', value: 'Tuesdays' })).toMatchObject({ ok: true });
    expect(a.latest['session:view'].veto.open).toBeNull();

    const ben = await joinBoard(server.url, ana.boardId, 'Ben');
    await seat(ben);
    // Ana's connection is older than Ben's seat: the board still knows he is here.
    expect(await act(a.socket, 'session:act', { type: 'veto:call', opId: op() })).toMatchObject({ ok: true });
    expect(await act(a.socket, 'session:act', { type: 'day:propose', opId: op() })).toMatchObject({ ok: true });
  });
});
