import { describe, expect, it } from 'vitest';
import {
  actionNeedsPartner,
  applySessionAction,
  initialSessionState,
  SESSION_ACTIONS,
  type SessionAction,
  type SessionActionType
} from '../rules/sessionState.ts';

const alone = { partnerJoined: false };
const together = { partnerJoined: true };
const act = (type: 'veto:call' | 'day:propose', opId = 'op-1'): SessionAction => ({ type, opId });

describe('partner gate', () => {
  it('[GUIDE2] no goal-free vote and no "call it a day" before the partner has joined: WrongPhase, nothing changes', () => {
    const state = initialSessionState(1);
    for (const type of ['veto:call', 'day:propose'] as const) {
      const r = applySessionAction(state, act(type), 'mentor', 2, alone);
      expect(r).toMatchObject({ ok: false, code: 'WrongPhase' });
      if (!r.ok) expect(r.message).toMatch(/not joined yet/);
    }
  });

  it('[GUIDE2] a refused op is not remembered: the same op id goes through once the partner is here', () => {
    const state = initialSessionState(1);
    expect(applySessionAction(state, act('day:propose'), 'mentor', 2, alone).ok).toBe(false);
    const r = applySessionAction(state, act('day:propose'), 'mentor', 3, together);
    expect(r.ok && r.state.meeting.phase).toBe('proposed');
    const vote = applySessionAction(state, act('veto:call', 'op-2'), 'mentee', 3, together);
    expect(vote.ok && vote.state.veto.open?.calledBy).toBe('mentee');
  });

  it('[GUIDE2] exactly the two actions wait for the partner; the agreement, own questions and the rest work alone', () => {
    const waiting = (Object.keys(SESSION_ACTIONS) as SessionActionType[]).filter(actionNeedsPartner);
    expect(waiting.sort()).toEqual(['day:propose', 'veto:call']);
    const r = applySessionAction(initialSessionState(1), { type: 'agreement:edit', opId: 'x', field: 'meetings', value: 'Tuesdays' }, 'mentor', 2, alone);
    expect(r.ok).toBe(true);
  });
});
