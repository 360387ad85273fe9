import { z } from 'zod';
import { AGREEMENT_FIELD_IDS } from '../content/agreementFields.ts';
import { fail, type Result } from '../errors.ts';
import type { Seat } from '../seats.ts';
import { applyAgreementAction, initialAgreementState, type AgreementState } from './agreement.ts';
import {
  applyDayAction,
  initialMeetingState,
  meetingView,
  PARKED_PROMPTS_MAX,
  VIBE_MAX,
  VIBE_MIN,
  type MeetingLogEntry,
  type MeetingState,
  type MeetingView
} from './callItADay.ts';
import { applyPromptAction, initialCustomPrompts, type CustomPromptsState } from './customPrompts.ts';
import {
  applyVetoAction,
  endMeetingVeto,
  initialVetoState,
  VETO_BALLOTS,
  vetoUsedSince,
  vetoView,
  type ResolvedVote,
  type VetoState,
  type VetoView
} from './goalVeto.ts';
import { checkOpId, OP_ID_MAX, rememberOp, seenOp, type RecentOps } from './opIds.ts';

/**
 * Everything server-decided about a board's sessions, in one JSON value the server stores as is and
 * loads after a restart [SESS4]. Free text the pair writes together lives in Yjs, not here.
 */
export type SessionState = {
  veto: VetoState;
  meeting: MeetingState;
  agreement: AgreementState;
  customPrompts: CustomPromptsState;
  /** [SESS2] Recent op ids of every action, so any retried action is a no-op. */
  recentOps: RecentOps;
};

export function initialSessionState(now: number): SessionState {
  return {
    veto: initialVetoState(),
    meeting: initialMeetingState(now),
    agreement: initialAgreementState(),
    customPrompts: initialCustomPrompts(),
    recentOps: []
  };
}

// ---- the wire: one event, a discriminated union on `type`; the actor is never part of it ----

const opId = z.string().min(1).max(OP_ID_MAX);
const count = z.number().int().min(0);

/** What the closing client counted. `vetoUsed` is not asked for: the board knows it [SESS3]. */
const summaryInputSchema = z.object({
  promptsAnswered: count,
  reflectionsLanded: count,
  reflectionsTotal: count,
  gamesPlayed: count,
  parkedPromptIds: z.array(z.string().min(1).max(100)).max(PARKED_PROMPTS_MAX)
});

export const sessionActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('veto:call'), opId }),
  z.object({ type: z.literal('veto:cast'), opId, voteId: z.number().int().min(1), ballot: z.enum(VETO_BALLOTS) }),
  z.object({ type: z.literal('veto:cancel'), opId, voteId: z.number().int().min(1) }),
  z.object({ type: z.literal('day:propose'), opId }),
  z.object({ type: z.literal('day:agree'), opId }),
  z.object({ type: z.literal('day:notYet'), opId }),
  z.object({ type: z.literal('day:withdraw'), opId }),
  z.object({
    type: z.literal('day:vibe'),
    opId,
    score: z.number().int().min(VIBE_MIN).max(VIBE_MAX),
    note: z.string().optional(),
    summary: summaryInputSchema
  }),
  z.object({ type: z.literal('day:startNext'), opId }),
  z.object({ type: z.literal('agreement:edit'), opId, field: z.enum(AGREEMENT_FIELD_IDS), value: z.string() }),
  z.object({ type: z.literal('agreement:sign'), opId, version: z.number().int().min(0) }),
  z.object({ type: z.literal('agreement:unsign'), opId }),
  z.object({ type: z.literal('prompts:add'), opId, id: z.string(), text: z.string() }),
  z.object({ type: z.literal('prompts:edit'), opId, id: z.string(), text: z.string() }),
  z.object({ type: z.literal('prompts:move'), opId, id: z.string(), to: z.number().int() }),
  z.object({ type: z.literal('prompts:remove'), opId, id: z.string() })
]);
export type SessionAction = z.infer<typeof sessionActionSchema>;
export type SessionActionType = SessionAction['type'];

/** Validate a payload from the wire; a bad one becomes a `BadRequest` with zod's first complaint. */
export function parseSessionAction(raw: unknown): Result<{ action: SessionAction }> {
  const parsed = sessionActionSchema.safeParse(raw);
  if (!parsed.success) return fail('BadRequest', parsed.error.issues[0]?.message ?? 'Not a board action.');
  return { ok: true, action: parsed.data };
}

export type SessionResult = Result<{
  state: SessionState;
  /** The op was already applied; nothing changed, nothing to broadcast. */
  duplicate?: true;
  /** [AGR2] An edit cleared signatures: tell both partners. */
  clearedSignatures?: true;
  /** A veto vote just resolved: reveal both ballots to both partners. */
  resolvedVote?: ResolvedVote;
  /** The meeting just closed with this log entry. */
  closedMeeting?: MeetingLogEntry;
}>;

/** The one dispatcher: validate the op id, route to the rule, remember the op. */
export function applySessionAction(state: SessionState, action: SessionAction, actor: Seat, now: number): SessionResult {
  const badOp = checkOpId(action.opId);
  if (badOp) return badOp;
  if (seenOp(state.recentOps, actor, action.opId)) return { ok: true, state, duplicate: true };

  const applied = route(state, action, actor, now);
  if (!applied.ok) return applied;
  return { ...applied, state: { ...applied.state, recentOps: rememberOp(state.recentOps, actor, action.opId) } };
}

function route(state: SessionState, action: SessionAction, actor: Seat, now: number): SessionResult {
  switch (action.type) {
    case 'veto:call':
    case 'veto:cast':
    case 'veto:cancel': {
      // [SESS5] A closed meeting has nothing left to make goal-free.
      if (state.meeting.phase === 'closed') return fail('WrongPhase', 'This meeting has ended; start the next one first.');
      // The veto remembers the op id too (it dedupes on its own when used alone); harmless here.
      const r = applyVetoAction(state.veto, toVetoAction(action), actor, now);
      if (!r.ok) return r;
      return { ok: true, state: { ...state, veto: r.state }, ...(r.resolved && { resolvedVote: r.resolved }) };
    }
    case 'day:propose':
    case 'day:agree':
    case 'day:notYet':
    case 'day:withdraw':
    case 'day:startNext': {
      const r = applyDayAction(state.meeting, { type: dayType(action.type) }, actor, now);
      if (!r.ok) return r;
      return { ok: true, state: { ...state, meeting: r.state } };
    }
    case 'day:vibe': {
      const summary = { ...action.summary, vetoUsed: vetoUsedSince(state.veto, state.meeting.startedAt) };
      const r = applyDayAction(state.meeting, { type: 'vibe', score: action.score, note: action.note, summary }, actor, now);
      if (!r.ok) return r;
      if (!r.closed) return { ok: true, state: { ...state, meeting: r.state } };
      // [VETO8] The meeting has ended: goals are back for the next one.
      return { ok: true, closedMeeting: r.closed, state: { ...state, meeting: r.state, veto: endMeetingVeto(state.veto) } };
    }
    case 'agreement:edit':
    case 'agreement:sign':
    case 'agreement:unsign': {
      const r = applyAgreementAction(state.agreement, toAgreementAction(action), actor, now);
      if (!r.ok) return r;
      return { ok: true, state: { ...state, agreement: r.state }, ...(r.clearedSignatures && { clearedSignatures: true }) };
    }
    case 'prompts:add':
    case 'prompts:edit':
    case 'prompts:move':
    case 'prompts:remove': {
      const r = applyPromptAction(state.customPrompts, toPromptAction(action), actor, now);
      if (!r.ok) return r;
      return { ok: true, state: { ...state, customPrompts: r.state } };
    }
    default:
      return fail('BadRequest', 'Not a board action.');
  }
}

type Of<T extends SessionActionType> = Extract<SessionAction, { type: T }>;

function toVetoAction(a: Of<'veto:call' | 'veto:cast' | 'veto:cancel'>) {
  if (a.type === 'veto:call') return { type: 'call', opId: a.opId } as const;
  if (a.type === 'veto:cast') return { type: 'cast', opId: a.opId, voteId: a.voteId, ballot: a.ballot } as const;
  return { type: 'cancel', opId: a.opId, voteId: a.voteId } as const;
}

function dayType(type: 'day:propose' | 'day:agree' | 'day:notYet' | 'day:withdraw' | 'day:startNext') {
  const names = { 'day:propose': 'propose', 'day:agree': 'agree', 'day:notYet': 'notYet', 'day:withdraw': 'withdraw', 'day:startNext': 'startNext' } as const;
  return names[type];
}

function toAgreementAction(a: Of<'agreement:edit' | 'agreement:sign' | 'agreement:unsign'>) {
  if (a.type === 'agreement:edit') return { type: 'edit', field: a.field, value: a.value } as const;
  if (a.type === 'agreement:sign') return { type: 'sign', version: a.version } as const;
  return { type: 'unsign' } as const;
}

function toPromptAction(a: Of<'prompts:add' | 'prompts:edit' | 'prompts:move' | 'prompts:remove'>) {
  if (a.type === 'prompts:add') return { type: 'add', id: a.id, text: a.text } as const;
  if (a.type === 'prompts:edit') return { type: 'edit', id: a.id, text: a.text } as const;
  if (a.type === 'prompts:move') return { type: 'move', id: a.id, to: a.to } as const;
  return { type: 'remove', id: a.id } as const;
}

export type SessionView = {
  veto: VetoView;
  meeting: MeetingView;
  agreement: AgreementState;
  customPrompts: CustomPromptsState;
};

/** [SESS1] What one seat receives: hidden ballots and vibe scores never reach the other seat. */
export function sessionView(state: SessionState, seat: Seat): SessionView {
  return {
    veto: vetoView(state.veto, seat),
    meeting: meetingView(state.meeting, seat),
    agreement: state.agreement,
    customPrompts: state.customPrompts
  };
}
