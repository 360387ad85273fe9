import { describe, expect, it } from 'vitest';
import type { GameRoomView, VetoView } from '@pairboard/shared';
import { partnerNews, type BoardFacts } from './partnerNews';

const base: BoardFacts = {
  you: 'mentor',
  partnerName: 'Grace',
  partnerPresence: 'online',
  connection: 'live',
  ended: null,
  veto: { mode: 'goals', open: null, history: [] },
  meeting: null,
  signatures: { you: false, partner: false },
  notice: null,
  games: { phase: 'idle', proposal: null, game: null, results: [] },
  heard: {}
};
const next = (patch: Partial<BoardFacts>): BoardFacts => ({ ...base, ...patch });

function c4(view: Record<string, unknown>): GameRoomView {
  return {
    phase: 'playing',
    proposal: null,
    results: [],
    game: {
      gameId: 'connect-four',
      title: 'Connect Four',
      startedAt: 1,
      over: false,
      view: { you: 'mentor', round: 1, starter: 'mentor', status: 'playing', winner: null, lastMove: null, yourTurn: true, ...view }
    }
  } as unknown as GameRoomView;
}

describe('partner events, as a screen reader hears them', () => {
  it('[A11Y2] says when the partner joins, leaves and comes back, and only once the page is live', () => {
    expect(partnerNews(next({ partnerName: null }), base)).toEqual(['Grace joined the board.']);
    expect(partnerNews(base, next({ partnerPresence: 'gone' }))).toEqual(['Grace left the board.']);
    expect(partnerNews(next({ partnerPresence: 'gone' }), base)).toEqual(['Grace is back.']);
    expect(partnerNews(next({ partnerPresence: 'gone', connection: 'offline' }), next({ connection: 'offline' }))).toEqual([]);
    expect(partnerNews(base, next({ partnerPresence: 'idle' }))).toEqual([]);
  });

  it('[A11Y2] a vote called, the partner ballot and the result', () => {
    const open = {
      id: 'v1',
      calledBy: 'mentee',
      question: 'go-goal-free',
      questionText: 'Make this meeting goal-free?',
      yourBallot: null,
      partnerHasVoted: false
    };
    const called = next({ veto: { mode: 'goals', open, history: [] } as unknown as VetoView });
    expect(partnerNews(base, called)).toEqual(['Grace asks: Make this meeting goal-free?']);
    const voted = next({ veto: { mode: 'goals', open: { ...open, partnerHasVoted: true }, history: [] } as unknown as VetoView });
    expect(partnerNews(called, voted)).toEqual(['Grace has voted.']);
    const done = next({ veto: { mode: 'goal-free', open: null, history: [{ outcome: 'goal-free' }] } as unknown as VetoView });
    expect(partnerNews(voted, done)).toEqual(['The vote is in: this meeting is goal-free.']);
  });

  it('[A11Y2] a reflection arriving is said once, with its question', () => {
    const heard = next({ heard: { q1: { text: 'You love robots', prompt: 'Why tech?' } } });
    expect(partnerNews(base, heard)).toEqual(['Grace wrote what they heard in your answer to “Why tech?”.']);
    expect(partnerNews(heard, next({ heard: { q1: { text: 'You love robots a lot', prompt: 'Why tech?' } } }))).toEqual([]);
  });

  it('[A11Y2] the partner’s Connect Four column, then whose turn', () => {
    const before = c4({ yourTurn: false, lastMove: { row: 5, col: 0, by: 'mentor' } });
    const after = c4({ yourTurn: true, lastMove: { row: 5, col: 3, by: 'mentee' } });
    expect(partnerNews(next({ games: before }), next({ games: after }))).toEqual(['Grace dropped in column 4.', 'Your turn.']);
    const won = c4({ yourTurn: false, status: 'won', winner: 'mentee', lastMove: { row: 2, col: 3, by: 'mentee' } });
    expect(partnerNews(next({ games: after }), next({ games: won }))).toEqual(['Grace dropped in column 4.', 'Grace wins this round.']);
    // My own drop is not news about my partner.
    expect(partnerNews(next({ games: after }), next({ games: c4({ yourTurn: false, lastMove: { row: 5, col: 1, by: 'mentor' } }) }))).toEqual([]);
  });

  it('[GUIDE17][A11Y2] a goal the partner marks done or reopens is said with its title; your own change is not news', () => {
    const goal = { id: 'g1', title: 'Give a talk', done: false, here: false };
    const open = next({ goals: [goal] });
    expect(partnerNews(open, next({ goals: [{ ...goal, done: true }] }))).toEqual(['Grace marked the goal “Give a talk” done.']);
    expect(partnerNews(next({ goals: [{ ...goal, done: true }] }), open)).toEqual(['Grace reopened the goal “Give a talk”.']);
    expect(partnerNews(open, next({ goals: [{ ...goal, done: true, here: true }] }))).toEqual([]);
    // A goal that just appeared, or typing in a title, is not a done mark.
    expect(partnerNews(base, open)).toEqual([]);
    expect(partnerNews(open, next({ goals: [{ ...goal, title: 'Give a long talk' }] }))).toEqual([]);
  });

  it('[A11Y2] deletion says one thing and nothing else', () => {
    expect(partnerNews(base, next({ ended: 'deleted', partnerPresence: 'gone' }))).toEqual(['This board was deleted. Everything on it has been erased.']);
  });

  it('[A11Y2] the agreement: a partner signature and cleared signatures', () => {
    expect(partnerNews(base, next({ signatures: { you: false, partner: true } }))).toEqual(['Grace signed the agreement.']);
    expect(partnerNews(base, next({ notice: { id: 5, notice: { kind: 'signaturesCleared', by: 'mentee' } } }))).toEqual([
      "Grace's change to the agreement cleared both signatures. Read it again, then sign."
    ]);
  });
});
