import { describe, expect, it } from 'vitest';
import { act, op, waitFor } from '../helpers/clients.ts';
import { usePair } from '../helpers/fixtures.ts';

const { pair, seat } = usePair();

describe('games over Socket.IO', () => {
  it('[TTL3][GAME9] the guessing seat never receives the lie before the reveal', async () => {
    const { ana, ben } = await pair();
    const writer = await seat(ana);
    const guesser = await seat(ben);
    await act(writer.socket, 'game:act', { type: 'game:propose', opId: op(), gameId: 'two-truths', options: { rounds: 2 } });
    await waitFor(() => guesser.latest['game:view'].proposal, 'proposal reaches Ben');
    expect(await act(guesser.socket, 'game:act', { type: 'game:accept', opId: op(), seed: 1 })).toMatchObject({ ok: true });
    await waitFor(() => writer.latest['game:view'].game, 'game started');
    const statements = ['I once met a famous chef', 'I have never seen snow', 'I can juggle five balls'];
    const lie = 1;
    const framesBefore = guesser.frames.length;
    expect(await act(writer.socket, 'game:act', { type: 'game:move', opId: op(), move: { type: 'write', statements, lie } })).toMatchObject({ ok: true });
    await waitFor(() => guesser.latest['game:view'].game.view.phase === 'guessing', 'guessing');
    const shown: string[] = guesser.latest['game:view'].game.view.statements.map((s: { text?: string } | string) => (typeof s === 'string' ? s : s.text));
    expect(new Set(shown)).toEqual(new Set(statements));
    // Every frame Ben received until he guessed: no field reveals which one is the lie.
    const beforeReveal = JSON.stringify(guesser.frames.slice(framesBefore));
    expect(beforeReveal).not.toMatch(/"lie"\s*:/);
    expect(beforeReveal).not.toMatch(/"yourLie"\s*:\s*\d/);
    expect(beforeReveal).not.toMatch(/"reveal"\s*:\s*\{/);
    expect(beforeReveal).not.toContain('seed');
    const guessIndex = shown.findIndex((t) => t === statements[0]);
    await act(guesser.socket, 'game:act', { type: 'game:move', opId: op(), move: { type: 'guess', index: guessIndex } });
    await waitFor(() => guesser.latest['game:view'].game.view.phase === 'revealed', 'revealed');
    expect(JSON.stringify(guesser.latest['game:view'].game.view.reveal)).toBeTruthy();
  });

  it('[C4-1][GAME5] turns are enforced by the server; a full game ends in a logged result', async () => {
    const { ana, ben } = await pair();
    const a = await seat(ana);
    const b = await seat(ben);
    await act(a.socket, 'game:act', { type: 'game:propose', opId: op(), gameId: 'connect-four' });
    await waitFor(() => b.latest['game:view'].proposal, 'proposal');
    await act(b.socket, 'game:act', { type: 'game:accept', opId: op() });
    await waitFor(() => a.latest['game:view'].game, 'started');
    expect(await act(b.socket, 'game:act', { type: 'game:move', opId: op(), move: { type: 'drop', column: 0 } })).toMatchObject({
      ok: false,
      code: 'NotYourTurn'
    });
    for (let i = 0; i < 3; i++) {
      expect(await act(a.socket, 'game:act', { type: 'game:move', opId: op(), move: { type: 'drop', column: 0 } })).toMatchObject({ ok: true });
      expect(await act(b.socket, 'game:act', { type: 'game:move', opId: op(), move: { type: 'drop', column: 1 } })).toMatchObject({ ok: true });
    }
    await act(a.socket, 'game:act', { type: 'game:move', opId: op(), move: { type: 'drop', column: 0 } });
    await waitFor(() => b.latest['game:view'].results.length === 1, 'result logged');
    expect(b.latest['game:view'].game.view.status).toBe('won');
    expect(b.latest['game:view'].results[0].line).toMatch(/Connect Four/);
    expect(await act(b.socket, 'game:act', { type: 'game:move', opId: op(), move: { type: 'drop', column: 3 } })).toMatchObject({ ok: false });
  });
});
