import { describe, expect, it } from 'vitest';
import { otherSeat, SEATS, type Seat } from '../seats.ts';
import { applyOk, deepFreeze, expectMalformed, expectRefused, NOW, viaJson } from './gameTestKit.ts';
import { mulberry32, randomInt } from './random.ts';
import { twoTruths, twoTruthsOptionsSchema, writerOf, type TwoTruthsMove, type TwoTruthsState } from './twoTruths.ts';
import { TWO_TRUTHS_THEME_IDS, TWO_TRUTHS_THEMES } from './twoTruthsThemes.ts';

const THREE: [string, string, string] = ['I have kept bees', 'I learned to code on a calculator', 'I once met a famous astronaut'];

function start(options?: unknown, starter: Seat = 'mentor', seed = 7): TwoTruthsState {
  return twoTruths.init({ seed, starter, options, now: NOW });
}

function written(state: TwoTruthsState, lie = 2, statements = THREE): TwoTruthsState {
  return applyOk(twoTruths, state, { type: 'write', statements, lie }, writerOf(state));
}

/** The guesser's view as it would go over the wire. */
function guesserJson(state: TwoTruthsState): string {
  return JSON.stringify(twoTruths.view(state, otherSeat(writerOf(state))));
}

describe('Two Truths and a Lie', () => {
  it('[TTL1] defaults to 4 rounds (two each) on the wildcard theme, starter writing first', () => {
    const s = start(undefined, 'mentee');
    expect(s).toMatchObject({ rounds: 4, theme: 'wildcard', phase: 'writing', round: 0 });
    expect(writerOf(s)).toBe('mentee');
    const v = twoTruths.view(s, 'mentor');
    expect(v).toMatchObject({ role: 'guesser', writer: 'mentee', guesser: 'mentor', round: 1, rounds: 4, statements: null });
    expect(v.theme.title).toBe('Wildcard');
    expect(v.theme.starters.length).toBeGreaterThanOrEqual(3);
  });

  it('[TTL1] options: rounds 1–10 and one of three themes, each with starter lines', () => {
    expect(twoTruthsOptionsSchema.safeParse({ rounds: 6, theme: 'tech-journey' }).success).toBe(true);
    for (const bad of [{ rounds: 0 }, { rounds: 11 }, { rounds: 2.5 }, { theme: 'politics' }, { rounds: '4' }])
      expect(twoTruthsOptionsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    expect(start({ rounds: 2, theme: 'life-outside-work' })).toMatchObject({ rounds: 2, theme: 'life-outside-work' });
    expect(TWO_TRUTHS_THEME_IDS).toEqual(['tech-journey', 'life-outside-work', 'wildcard']);
    for (const id of TWO_TRUTHS_THEME_IDS) {
      const theme = TWO_TRUTHS_THEMES[id];
      expect(theme.id).toBe(id);
      expect(theme.starters.length).toBeGreaterThanOrEqual(3);
      for (const line of theme.starters) expect(line.length).toBeLessThan(80);
    }
  });

  it('[TTL2] statements are trimmed, whitespace collapsed, 1–280 characters each', () => {
    const parsed = twoTruths.moveSchema.safeParse({ type: 'write', statements: ['  a   b ', 'c', 'd'], lie: 0 });
    expect(parsed.success && parsed.data).toEqual({ type: 'write', statements: ['a b', 'c', 'd'], lie: 0 });
    expect(twoTruths.moveSchema.safeParse({ type: 'write', statements: ['x'.repeat(280), 'c', 'd'], lie: 0 }).success).toBe(true);
    for (const bad of [
      { type: 'write', statements: ['   ', 'c', 'd'], lie: 0 },
      { type: 'write', statements: ['x'.repeat(281), 'c', 'd'], lie: 0 },
      { type: 'write', statements: ['a', 'b'], lie: 0 },
      { type: 'write', statements: ['a', 'b', 'c', 'd'], lie: 0 },
      { type: 'write', statements: ['a', 'b', 'c'], lie: 3 },
      { type: 'write', statements: ['a', 'b', 'c'], lie: -1 },
      { type: 'write', statements: ['a', 'b', 'c'] },
      { type: 'write', statements: ['a', 'b', 3], lie: 0 },
      { type: 'guess', index: 3 },
      { type: 'guess', index: 0.5 },
      { type: 'guess' },
      { type: 'next' },
      { type: 'next', round: 0 },
      { type: 'reveal' },
      {},
      null
    ])
      expectMalformed(twoTruths, bad);
    // apply re-checks what it is handed, schema or not
    expectRefused(twoTruths, start(), { type: 'write', statements: [' ', 'b', 'c'], lie: 0 }, 'mentor', 'BadRequest');
    expectRefused(twoTruths, start(), { type: 'write', statements: ['a', 'b', 'c'], lie: 5 }, 'mentor', 'BadRequest');
  });

  it('[TTL2] three identical (or case-different) statements are refused with IllegalMove', () => {
    expectRefused(twoTruths, start(), { type: 'write', statements: ['Same', 'same', 'other'], lie: 0 }, 'mentor', 'IllegalMove');
  });

  it('[TTL2] only the writer writes, and only once per round', () => {
    const s = start(undefined, 'mentor');
    expectRefused(twoTruths, s, { type: 'write', statements: THREE, lie: 0 }, 'mentee', 'NotYourTurn');
    const g = written(s);
    expectRefused(twoTruths, g, { type: 'write', statements: THREE, lie: 1 }, 'mentor', 'AlreadyDone');
    expectRefused(twoTruths, g, { type: 'write', statements: THREE, lie: 1 }, 'mentee', 'WrongPhase');
  });

  it('[TTL3] the board shows the statements mixed in an order that ignores where the lie was typed', () => {
    // A writer who always types the lie last: across seeds the lie lands in every position.
    const positions = [0, 0, 0];
    for (let seed = 0; seed < 300; seed++) {
      const g = written(start(undefined, 'mentor', seed), 2);
      expect([...g.statements!].sort()).toEqual([...THREE].sort());
      expect(g.statements![g.lie!]).toBe(THREE[2]);
      positions[g.lie!]!++;
    }
    for (const n of positions) expect(n).toBeGreaterThan(60);
  });

  it('[TTL4] before the guess, the guesser view is identical whichever statement was marked', () => {
    for (let seed = 0; seed < 50; seed++) {
      const s = start(undefined, seed % 2 ? 'mentor' : 'mentee', seed);
      const views = [0, 1, 2].map((lie) => guesserJson(written(s, lie)));
      expect(new Set(views).size, `seed ${seed}`).toBe(1);
      const v = JSON.parse(views[0]!) as Record<string, unknown>;
      expect(v.yourLie, `seed ${seed}`).toBeNull();
      expect(v.reveal, `seed ${seed}`).toBeNull();
      expect(views[0], `seed ${seed}`).not.toMatch(/"(seed|lie|lieIndex)"/);
    }
  });

  it('[TTL4] the writer sees which statement they marked', () => {
    const g = written(start(undefined, 'mentor'), 1);
    const v = twoTruths.view(g, 'mentor');
    expect(v.role).toBe('writer');
    expect(v.statements![v.yourLie!]).toBe(THREE[1]);
  });

  it('[TTL5] only the guesser guesses, once, and the guess reveals the lie to both', () => {
    const g = written(start(undefined, 'mentor'), 0);
    expectRefused(twoTruths, start(), { type: 'guess', index: 0 }, 'mentee', 'WrongPhase');
    expectRefused(twoTruths, g, { type: 'guess', index: 0 }, 'mentor', 'NotYourTurn');
    expectRefused(twoTruths, g, { type: 'guess', index: 9 }, 'mentee', 'BadRequest');
    const lie = g.lie!;
    const r = applyOk(twoTruths, g, { type: 'guess', index: lie }, 'mentee');
    expect(r.phase).toBe('revealed');
    expect(r.score).toEqual({ mentor: 0, mentee: 1 });
    expectRefused(twoTruths, r, { type: 'guess', index: lie }, 'mentee', 'AlreadyDone');
    for (const seat of SEATS) {
      const v = twoTruths.view(r, seat);
      expect(v.reveal).toEqual({ round: 1, writer: 'mentor', statements: g.statements, lie, guess: lie, spotted: true });
    }
  });

  it('[TTL5] a missed guess scores for the writer', () => {
    const g = written(start(undefined, 'mentor'), 0);
    const r = applyOk(twoTruths, g, { type: 'guess', index: (g.lie! + 1) % 3 }, 'mentee');
    expect(r.score).toEqual({ mentor: 1, mentee: 0 });
    expect(r.history[0]!.spotted).toBe(false);
  });

  it('[TTL6] either seat moves on once, naming the round it saw; roles swap', () => {
    const g = written(start(undefined, 'mentor'), 0);
    expectRefused(twoTruths, g, { type: 'next', round: 1 }, 'mentor', 'WrongPhase');
    const r = applyOk(twoTruths, g, { type: 'guess', index: 0 }, 'mentee');
    expectRefused(twoTruths, r, { type: 'next', round: 2 }, 'mentor', 'WrongPhase');
    const n = applyOk(twoTruths, r, { type: 'next', round: 1 }, 'mentor');
    expect(n).toMatchObject({ round: 1, phase: 'writing', statements: null, lie: null });
    expect(writerOf(n)).toBe('mentee');
    // the partner's press for the same round arrives late: refused, no round skipped
    expectRefused(twoTruths, n, { type: 'next', round: 1 }, 'mentee', 'AlreadyDone');
  });

  it('[TTL7] after the last reveal the game is over, with a result line; every move is refused', () => {
    let s = start({ rounds: 2 }, 'mentor');
    s = written(s);
    s = applyOk(twoTruths, s, { type: 'guess', index: s.lie! }, 'mentee');
    expect(twoTruths.isOver(s)).toBe(false);
    expect(twoTruths.resultLine(s)).toBeNull();
    s = applyOk(twoTruths, s, { type: 'next', round: 1 }, 'mentee');
    s = written(s);
    s = applyOk(twoTruths, s, { type: 'guess', index: (s.lie! + 1) % 3 }, 'mentor');
    expect(s.phase).toBe('done');
    expect(twoTruths.isOver(s)).toBe(true);
    expect(twoTruths.resultLine(s)).toBe('Two Truths and a Lie: 1 of 2 lies spotted (Mentor 0 · Mentee 2)');
    const v = twoTruths.view(s, 'mentee');
    expect(v).toMatchObject({ phase: 'done', round: 2, rounds: 2 });
    expect(v.reveal?.round).toBe(2);
    expect(v.history).toHaveLength(2);
    for (const seat of SEATS) {
      expectRefused(twoTruths, s, { type: 'write', statements: THREE, lie: 0 }, seat, 'AlreadyDone');
      expectRefused(twoTruths, s, { type: 'guess', index: 0 }, seat, 'AlreadyDone');
      expectRefused(twoTruths, s, { type: 'next', round: 2 }, seat, 'AlreadyDone');
    }
  });

  it('[TTL1–7][GAME9] 200 seeds of random legal and illegal moves never break an invariant or leak the lie', () => {
    const seen = { guesses: 0, done: 0, refused: 0 };
    const texts = ['I can juggle', 'I have run a marathon', 'I grew up by the sea', 'I speak three languages', '  ', 'x'.repeat(300)];
    for (let seed = 1; seed <= 200; seed++) {
      const rng = mulberry32(seed);
      const rounds = 1 + randomInt(rng, 6);
      let s = twoTruths.init({ seed, starter: rng() < 0.5 ? 'mentor' : 'mentee', options: { rounds }, now: NOW });
      for (let i = 0; i < 80; i++) {
        const label = `seed ${seed}, step ${i}`;
        const roll = rng();
        // mostly the seat whose move it is, with a fair share of wrong seats
        const expected = roll < 0.35 ? writerOf(s) : otherSeat(writerOf(s));
        const actor: Seat = rng() < 0.75 ? expected : otherSeat(expected);
        const pickText = () => (rng() < 0.15 ? texts[randomInt(rng, texts.length)]! : `fact ${randomInt(rng, 1000)}`);
        const move: unknown =
          roll < 0.35
            ? { type: 'write', statements: [pickText(), pickText(), pickText()], lie: randomInt(rng, 4) }
            : roll < 0.7
              ? { type: 'guess', index: randomInt(rng, 4) }
              : { type: 'next', round: s.round + randomInt(rng, 3) };
        const parsed = twoTruths.moveSchema.safeParse(move);
        if (!parsed.success) continue;
        const m = parsed.data as TwoTruthsMove;
        const before = JSON.stringify(s);
        const r = twoTruths.apply(deepFreeze(s), m, actor, NOW);
        if (!r.ok) {
          if (JSON.stringify(s) !== before) expect.fail(`${label}: refused ${JSON.stringify(move)} changed the state`);
          seen.refused++;
          continue;
        }
        const n = r.state;
        if (m.type === 'guess') seen.guesses++;
        // [TTL4] the write must leave the guesser's view the same whichever statement was marked
        if (m.type === 'write') {
          const alt = [0, 1, 2].map((lie) => twoTruths.apply(s, { ...m, lie }, actor, NOW));
          const jsons = alt.map((a) => (a.ok ? guesserJson(a.state) : 'refused'));
          if (new Set(jsons).size !== 1) expect.fail(`${label}: guesser view depends on the marked lie`);
        }
        if (n.phase === 'guessing') {
          const json = guesserJson(n);
          for (const lie of [0, 1, 2]) if (guesserJson({ ...n, lie }) !== json) expect.fail(`${label}: guesser view changes with the lie`);
          // earlier rounds' lies are out in the open (history); nothing else may name one
          const { history: _past, ...current } = JSON.parse(json) as Record<string, unknown>;
          if (/"(seed|lie|lieIndex)"/.test(JSON.stringify(current)) || current.yourLie !== null || current.reveal !== null)
            expect.fail(`${label}: guesser view has a lie or seed field`);
        }
        const revealed = n.phase === 'revealed' || n.phase === 'done';
        const problems: string[] = [];
        if (n.history.length !== n.round + (revealed ? 1 : 0)) problems.push('history length');
        if (n.score.mentor + n.score.mentee !== n.history.length) problems.push('score total');
        if (n.round >= n.rounds) problems.push('round past the end');
        if ((n.phase === 'done') !== (revealed && n.round === n.rounds - 1)) problems.push('done at the wrong time');
        if (n.phase === 'writing' && (n.statements !== null || n.lie !== null)) problems.push('leftover statements');
        if (n.phase !== 'writing' && (n.statements?.length !== 3 || n.lie === null || n.lie < 0 || n.lie > 2)) problems.push('statements or lie');
        n.history.forEach((h, k) => {
          if (h.writer !== (k % 2 === 0 ? n.starter : otherSeat(n.starter))) problems.push('roles did not alternate');
          if (h.spotted !== (h.guess === h.lie)) problems.push('spotted');
        });
        if (problems.length > 0) expect.fail(`${label}: ${problems.join('; ')}`);
        if (n.phase === 'done' && s.phase !== 'done') seen.done++;
        s = i % 2 === 0 ? viaJson(n) : n;
      }
    }
    expect(seen.guesses).toBeGreaterThan(200);
    expect(seen.done).toBeGreaterThan(20);
    expect(seen.refused).toBeGreaterThan(1000);
  });
});
