import { fail, type Result } from '../errors.ts';
import { otherSeat, type Seat } from '../seats.ts';

/**
 * The goal veto ("pump the goal-brakes", getting-to-know-your-mentoring-partner.md): a private vote
 * that switches the goals area off, or back on, for both partners together. SPEC.md: VETO*.
 */

/** 'goals' shows the goals area to both partners; 'goal-free' hides it for both. */
export type BoardMode = 'goals' | 'goal-free';

/**
 * One ballot meaning for both questions, so the outcome rule is one line [VETO3, VETO4]:
 * 'veto' = goal-free please (yes to "Make this meeting goal-free?", not yet to "Bring goals back?");
 * 'goals' = goals please.
 */
export type VetoBallot = 'veto' | 'goals';
export const VETO_BALLOTS = ['veto', 'goals'] as const satisfies readonly VetoBallot[];

/** Which question a vote asks follows from the mode when it was called [VETO1]. */
export type VetoQuestion = 'go-goal-free' | 'bring-goals-back';
export const VETO_QUESTION_TEXT: Record<VetoQuestion, string> = {
  'go-goal-free': 'Make this meeting goal-free?',
  'bring-goals-back': 'Bring goals back?'
};

export type OpenVote = {
  /** Casts and cancels name the vote, so a late retry can never land on a newer vote. */
  id: number;
  question: VetoQuestion;
  calledBy: Seat;
  calledAt: number;
  ballots: Record<Seat, VetoBallot | null>;
};

/** A vote both partners answered: what the meeting summary shows. */
export type ResolvedVote = {
  id: number;
  question: VetoQuestion;
  calledBy: Seat;
  calledAt: number;
  ballots: Record<Seat, VetoBallot>;
  outcome: BoardMode;
  at: number;
};

export type VetoState = {
  mode: BoardMode;
  open: OpenVote | null;
  nextVoteId: number;
  history: ResolvedVote[];
};

/** [VETO9] Retries are deduped by op id once, by the session dispatcher (`applyOnce`), not here. */
export type VetoAction = { type: 'call' } | { type: 'cast'; voteId: number; ballot: VetoBallot } | { type: 'cancel'; voteId: number };

export type VetoResult = Result<{ state: VetoState; resolved?: ResolvedVote }>;

export function initialVetoState(): VetoState {
  return { mode: 'goals', open: null, nextVoteId: 1, history: [] };
}

/** [VETO3] one veto is enough; [VETO4] goals come back only when both ask for them. */
export function voteOutcome(ballots: Record<Seat, VetoBallot>): BoardMode {
  return ballots.mentor === 'goals' && ballots.mentee === 'goals' ? 'goals' : 'goal-free';
}

/** The reducer. `actor` is always the seat of the connection, never a field of the action [VETO6]. */
export function applyVetoAction(state: VetoState, action: VetoAction, actor: Seat, now: number): VetoResult {
  switch (action.type) {
    case 'call':
      return call(state, actor, now);
    case 'cast':
      return cast(state, action.voteId, action.ballot, actor, now);
    case 'cancel':
      return cancel(state, action.voteId, actor);
    default:
      return fail('BadRequest', 'Unknown goal-veto action.');
  }
}

/** [VETO1] Either partner may call a vote when none is open. */
function call(state: VetoState, actor: Seat, now: number): VetoResult {
  if (state.open) return fail('WrongPhase', 'A vote is already open: cast your vote there.');
  const open: OpenVote = {
    id: state.nextVoteId,
    question: state.mode === 'goals' ? 'go-goal-free' : 'bring-goals-back',
    calledBy: actor,
    calledAt: now,
    ballots: { mentor: null, mentee: null }
  };
  return { ok: true, state: { ...state, open, nextVoteId: state.nextVoteId + 1 } };
}

/** [VETO2] Each seat votes once; [VETO5] the result exists only once both have voted. */
function cast(state: VetoState, voteId: number, ballot: VetoBallot, actor: Seat, now: number): VetoResult {
  const open = state.open;
  if (!open || open.id !== voteId) return fail('WrongPhase', 'That vote is no longer open.');
  if (!VETO_BALLOTS.includes(ballot)) return fail('BadRequest', 'A vote is either "veto" or "goals".');
  if (open.ballots[actor] !== null) return fail('AlreadyDone', 'You have already voted.');

  const ballots = { ...open.ballots, [actor]: ballot };
  const { mentor, mentee } = ballots;
  if (mentor === null || mentee === null) return { ok: true, state: { ...state, open: { ...open, ballots } } };

  const both = { mentor, mentee };
  const resolved: ResolvedVote = {
    id: open.id,
    question: open.question,
    calledBy: open.calledBy,
    calledAt: open.calledAt,
    ballots: both,
    outcome: voteOutcome(both),
    at: now
  };
  return {
    ok: true,
    resolved,
    state: { ...state, mode: resolved.outcome, open: null, history: [...state.history, resolved] }
  };
}

/** [VETO7] Only the partner who called a vote may cancel it, and only while it is open. */
function cancel(state: VetoState, voteId: number, actor: Seat): VetoResult {
  const open = state.open;
  if (!open || open.id !== voteId) return fail('WrongPhase', 'That vote is no longer open.');
  if (open.calledBy !== actor) return fail('Forbidden', 'Only the partner who called this vote can cancel it.');
  return { ok: true, state: { ...state, open: null } };
}

/** [VETO8] When a meeting ends, goals come back and any open vote is dropped; history stays. */
export function endMeetingVeto(state: VetoState): VetoState {
  return { ...state, mode: 'goals', open: null };
}

/** [VETO10] Whether a vote made (or kept) this meeting goal-free since `since` (the meeting's start). */
export function vetoUsedSince(state: VetoState, since: number): boolean {
  return state.history.some((v) => v.at >= since && v.outcome === 'goal-free');
}

export type OpenVoteView = {
  id: number;
  question: VetoQuestion;
  questionText: string;
  calledBy: Seat;
  calledAt: number;
  yourBallot: VetoBallot | null;
  /** Whether, never how: the partner's ballot stays on the server until both have voted. */
  partnerHasVoted: boolean;
};

export type VetoView = { mode: BoardMode; open: OpenVoteView | null; history: ResolvedVote[] };

/** [VETO5] What one seat may see: its own ballot, and only that the partner has voted. */
export function vetoView(state: VetoState, seat: Seat): VetoView {
  const open = state.open;
  return {
    mode: state.mode,
    history: state.history,
    open: open && {
      id: open.id,
      question: open.question,
      questionText: VETO_QUESTION_TEXT[open.question],
      calledBy: open.calledBy,
      calledAt: open.calledAt,
      yourBallot: open.ballots[seat],
      partnerHasVoted: open.ballots[otherSeat(seat)] !== null
    }
  };
}
