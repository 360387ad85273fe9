import { describe, expect, it } from 'vitest';
import { otherSeat, SEATS, type Seat } from '../seats.ts';
import { applyOk, deepFreeze, expectMalformed, expectRefused, NOW, viaJson } from './gameTestKit.ts';
import { mulberry32, randomInt } from './random.ts';
import { drawThisOrThatCards, thisOrThat, thisOrThatOptionsSchema, type ThisOrThatMove, type ThisOrThatState } from './thisOrThat.ts';
import { THIS_OR_THAT_CATEGORIES, THIS_OR_THAT_DECK } from './thisOrThatDeck.ts';

function start(options?: unknown, seed = 11): ThisOrThatState {
  return thisOrThat.init({ seed, starter: 'mentor', options, now: NOW });
}

function pickBoth(s: ThisOrThatState, mentor: 'a' | 'b', mentee: 'a' | 'b'): ThisOrThatState {
  return applyOk(thisOrThat, applyOk(thisOrThat, s, { type: 'pick', choice: mentor }, 'mentor'), { type: 'pick', choice: mentee }, 'mentee');
}

describe('This or That deck', () => {
  it('[TOT1] has at least 60 original pairs, each tagged tech / work / life, ids unique', () => {
    expect(THIS_OR_THAT_DECK.length).toBeGreaterThanOrEqual(60);
    expect(new Set(THIS_OR_THAT_DECK.map((c) => c.id)).size).toBe(THIS_OR_THAT_DECK.length);
    for (const category of THIS_OR_THAT_CATEGORIES) expect(THIS_OR_THAT_DECK.filter((c) => c.category === category).length).toBeGreaterThanOrEqual(15);
    const pairs = new Set<string>();
    for (const card of THIS_OR_THAT_DECK) {
      expect(THIS_OR_THAT_CATEGORIES as readonly string[]).toContain(card.category);
      for (const side of [card.a, card.b]) {
        expect(side.trim(), card.id).toBe(side);
        expect(side.length, card.id).toBeGreaterThan(0);
        expect(side.length, card.id).toBeLessThanOrEqual(60);
      }
      expect(card.a.toLowerCase(), card.id).not.toBe(card.b.toLowerCase());
      pairs.add(
        [card.a, card.b]
          .map((x) => x.toLowerCase())
          .sort()
          .join('|')
      );
    }
    expect(pairs.size).toBe(THIS_OR_THAT_DECK.length);
  });
});

describe('This or That', () => {
  it('[TOT1] defaults to 10 cards from a seeded shuffle of the whole deck', () => {
    const s = start();
    expect(s.cards).toHaveLength(10);
    expect(new Set(s.cards.map((c) => c.id)).size).toBe(10);
    expect(start().cards).toEqual(s.cards);
    expect(start(undefined, 12).cards).not.toEqual(s.cards);
    expect(s).toMatchObject({ index: 0, phase: 'picking', matches: 0, picks: { mentor: null, mentee: null } });
  });

  it('[TOT1] the pair\u2019s own cards are mixed in, all of them when rounds allow', () => {
    const custom = [
      { a: '  Our standup ', b: 'Our retro' },
      { a: 'Async notes', b: 'Live chat' }
    ];
    const s = start({ rounds: 6, custom, categories: ['life'] });
    expect(s.cards).toHaveLength(6);
    const own = s.cards.filter((c) => c.category === 'custom');
    expect(own.map((c) => c.a).sort()).toEqual(['Async notes', 'Our standup']);
    expect(s.cards.filter((c) => c.category !== 'custom').every((c) => c.category === 'life')).toBe(true);
    // mixed in, not always at the front
    const firstIsOwn = Array.from({ length: 40 }, (_, seed) => start({ rounds: 6, custom }, seed).cards[0]!.category === 'custom');
    expect(firstIsOwn.some(Boolean)).toBe(true);
    expect(firstIsOwn.every(Boolean)).toBe(false);
  });

  it('[TOT1] only the pair\u2019s cards when no category is chosen; rounds shrink to the cards there are', () => {
    const s = start({ categories: [], custom: [{ a: 'Tea', b: 'Cocoa' }], rounds: 10 });
    expect(s.cards).toEqual([{ id: 'custom-1', category: 'custom', a: 'Tea', b: 'Cocoa' }]);
    expect(thisOrThat.view(s, 'mentor').rounds).toBe(1);
    const many = Array.from({ length: 5 }, (_, i) => ({ a: `A${i}`, b: `B${i}` }));
    expect(start({ rounds: 3, custom: many }).cards.every((c) => c.category === 'custom')).toBe(true);
  });

  it('[TOT1] options are validated: rounds 1–30, sides 1–60 characters, sides differ, something to draw from', () => {
    for (const bad of [
      { rounds: 0 },
      { rounds: 31 },
      { categories: ['politics'] },
      { categories: [] },
      { custom: [{ a: '', b: 'x' }] },
      { custom: [{ a: '   ', b: 'x' }] },
      { custom: [{ a: 'x'.repeat(61), b: 'y' }] },
      { custom: [{ a: 'Same', b: 'same' }] },
      { custom: Array.from({ length: 31 }, (_, i) => ({ a: `a${i}`, b: `b${i}` })) }
    ])
      expect(thisOrThatOptionsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    const ok = thisOrThatOptionsSchema.safeParse({ custom: [{ a: 'x'.repeat(60), b: ' y ' }] });
    expect(ok.success && ok.data.custom[0]).toEqual({ a: 'x'.repeat(60), b: 'y' });
    expect(ok.success && ok.data.rounds).toBe(10);
  });

  it('[TOT1] drawing is pure: the same options and seed give the same hand', () => {
    const options = thisOrThatOptionsSchema.parse({ rounds: 12, custom: [{ a: 'x', b: 'y' }] });
    expect(drawThisOrThatCards(options, 5)).toEqual(drawThisOrThatCards(options, 5));
  });

  it('[TOT3] the partner\u2019s pick is hidden until both have picked, then revealed together', () => {
    const s = applyOk(thisOrThat, start(), { type: 'pick', choice: 'b' }, 'mentor');
    const mentee = thisOrThat.view(s, 'mentee');
    expect(mentee).toMatchObject({ yourPick: null, partnerPicked: true, partnerPick: null, match: null, nudge: null });
    // the waiting seat's view is identical whatever the partner picked
    const other = applyOk(thisOrThat, start(), { type: 'pick', choice: 'a' }, 'mentor');
    expect(JSON.stringify(thisOrThat.view(other, 'mentee'))).toBe(JSON.stringify(mentee));
    expect(thisOrThat.view(s, 'mentor')).toMatchObject({ yourPick: 'b', partnerPicked: false, partnerPick: null });
    const r = applyOk(thisOrThat, s, { type: 'pick', choice: 'a' }, 'mentee');
    expect(thisOrThat.view(r, 'mentee')).toMatchObject({ phase: 'revealed', yourPick: 'a', partnerPick: 'b', match: false });
    expect(thisOrThat.view(r, 'mentor')).toMatchObject({ phase: 'revealed', yourPick: 'b', partnerPick: 'a', match: false });
  });

  it('[TOT2] each seat picks once per card; a second pick is refused with AlreadyDone', () => {
    const s = applyOk(thisOrThat, start(), { type: 'pick', choice: 'a' }, 'mentor');
    expectRefused(thisOrThat, s, { type: 'pick', choice: 'b' }, 'mentor', 'AlreadyDone');
    expectRefused(thisOrThat, s, { type: 'pick', choice: 'a' }, 'mentor', 'AlreadyDone');
    const r = applyOk(thisOrThat, s, { type: 'pick', choice: 'a' }, 'mentee');
    for (const seat of SEATS) expectRefused(thisOrThat, r, { type: 'pick', choice: 'a' }, seat, 'WrongPhase');
  });

  it('[TOT2] malformed moves fail the schema', () => {
    for (const bad of [
      { type: 'pick', choice: 'c' },
      { type: 'pick' },
      { type: 'pick', choice: 0 },
      { type: 'next' },
      { type: 'next', round: 0 },
      { type: 'skip' },
      'a',
      undefined
    ])
      expectMalformed(thisOrThat, bad);
    expectRefused(thisOrThat, start(), { type: 'pick', choice: 'c' as 'a' }, 'mentor', 'BadRequest');
  });

  it('[TOT4] a match is counted and the reveal nudges "tell each other why"', () => {
    const same = pickBoth(start(), 'a', 'a');
    expect(same.matches).toBe(1);
    const v = thisOrThat.view(same, 'mentor');
    expect(v.match).toBe(true);
    expect(v.nudge).toMatch(/tell each other why/i);
    const split = pickBoth(start(), 'a', 'b');
    expect(split.matches).toBe(0);
    expect(thisOrThat.view(split, 'mentee').nudge).toMatch(/tell each other why/i);
    expect(split.history[0]).toEqual({ round: 1, card: split.cards[0], picks: { mentor: 'a', mentee: 'b' }, match: false });
  });

  it('[TOT5] either seat moves on once, naming the round it saw', () => {
    const s = start();
    expectRefused(thisOrThat, s, { type: 'next', round: 1 }, 'mentor', 'WrongPhase');
    const r = pickBoth(s, 'a', 'b');
    expectRefused(thisOrThat, r, { type: 'next', round: 2 }, 'mentee', 'WrongPhase');
    const n = applyOk(thisOrThat, r, { type: 'next', round: 1 }, 'mentee');
    expect(n).toMatchObject({ index: 1, phase: 'picking', picks: { mentor: null, mentee: null } });
    expect(thisOrThat.view(n, 'mentor')).toMatchObject({ round: 2, card: s.cards[1], nudge: null, played: 1 });
    expectRefused(thisOrThat, n, { type: 'next', round: 1 }, 'mentor', 'AlreadyDone');
  });

  it('[TOT6] after the last card the game is over with "x of n alike"; every move is refused', () => {
    let s = start({ rounds: 3 });
    s = pickBoth(s, 'a', 'a');
    s = applyOk(thisOrThat, s, { type: 'next', round: 1 }, 'mentor');
    s = pickBoth(s, 'b', 'a');
    s = applyOk(thisOrThat, s, { type: 'next', round: 2 }, 'mentee');
    expect(thisOrThat.isOver(s)).toBe(false);
    expect(thisOrThat.resultLine(s)).toBeNull();
    s = pickBoth(s, 'b', 'b');
    expect(s.phase).toBe('done');
    expect(thisOrThat.isOver(s)).toBe(true);
    expect(thisOrThat.resultLine(s)).toBe('This or That: 2 of 3 alike');
    expect(thisOrThat.view(s, 'mentor')).toMatchObject({ phase: 'done', round: 3, partnerPick: 'b', match: true, matches: 2, played: 3 });
    for (const seat of SEATS) {
      expectRefused(thisOrThat, s, { type: 'pick', choice: 'a' }, seat, 'AlreadyDone');
      expectRefused(thisOrThat, s, { type: 'next', round: 3 }, seat, 'AlreadyDone');
    }
  });

  it('[GAME9] the view never carries the cards still to come', () => {
    const s = start({ rounds: 10 });
    const json = JSON.stringify(thisOrThat.view(s, 'mentor'));
    for (const card of s.cards.slice(1)) expect(json).not.toContain(JSON.stringify(card.a));
  });

  it('[TOT1–6][GAME9] 200 seeds of random legal and illegal moves never break an invariant or leak a pick', () => {
    const seen = { reveals: 0, done: 0, refused: 0 };
    for (let seed = 1; seed <= 200; seed++) {
      const rng = mulberry32(seed);
      const custom = Array.from({ length: randomInt(rng, 4) }, (_, i) => ({ a: `mine ${i}`, b: `yours ${i}` }));
      let s = start({ rounds: 1 + randomInt(rng, 12), custom }, seed);
      for (let i = 0; i < 80; i++) {
        const label = `seed ${seed}, step ${i}`;
        const actor: Seat = rng() < 0.5 ? 'mentor' : 'mentee';
        const roll = rng();
        const move: unknown =
          roll < 0.65 ? { type: 'pick', choice: rng() < 0.5 ? 'a' : rng() < 0.9 ? 'b' : 'c' } : { type: 'next', round: s.index + randomInt(rng, 3) };
        const parsed = thisOrThat.moveSchema.safeParse(move);
        if (!parsed.success) continue;
        const before = JSON.stringify(s);
        const r = thisOrThat.apply(deepFreeze(s), parsed.data as ThisOrThatMove, actor, NOW);
        if (!r.ok) {
          if (JSON.stringify(s) !== before) expect.fail(`${label}: refused ${JSON.stringify(move)} changed the state`);
          seen.refused++;
          continue;
        }
        const n = r.state;
        const problems: string[] = [];
        // [TOT5] score ≤ rounds played ≤ rounds
        if (n.matches > n.history.length) problems.push('more matches than rounds played');
        if (n.history.length > n.cards.length) problems.push('more rounds than cards');
        if (n.matches !== n.history.filter((h) => h.match).length) problems.push('matches miscounted');
        if (n.history.length !== n.index + (n.phase === 'picking' ? 0 : 1)) problems.push('history length');
        if (n.phase === 'picking' && n.picks.mentor !== null && n.picks.mentee !== null) problems.push('both picked, not revealed');
        if ((n.phase === 'done') !== (n.phase !== 'picking' && n.index === n.cards.length - 1)) problems.push('done at the wrong time');
        for (const seat of SEATS) {
          const v = thisOrThat.view(n, seat);
          if (n.phase === 'picking') {
            // [TOT3] while picking, the view is the same whatever the partner picked
            const partner = otherSeat(seat);
            if (v.partnerPick !== null || v.nudge !== null) problems.push('partner pick or nudge before the reveal');
            if (n.picks[partner] !== null) {
              const flipped = { ...n, picks: { ...n.picks, [partner]: n.picks[partner] === 'a' ? 'b' : 'a' } };
              if (JSON.stringify(thisOrThat.view(flipped, seat)) !== JSON.stringify(v)) problems.push(`${seat} view leaks the partner's pick`);
            }
          } else if (v.partnerPick === null || !v.nudge) problems.push('no reveal after both picked');
        }
        if (problems.length > 0) expect.fail(`${label}: ${problems.join('; ')}`);
        if (n.history.length > s.history.length) seen.reveals++;
        if (n.phase === 'done' && s.phase !== 'done') seen.done++;
        s = i % 2 === 0 ? viaJson(n) : n;
      }
    }
    expect(seen.reveals).toBeGreaterThan(500);
    expect(seen.done).toBeGreaterThan(50);
    expect(seen.refused).toBeGreaterThan(1000);
  });
});
