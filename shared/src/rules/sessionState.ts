import { z } from 'zod';
import { AGREEMENT_FIELD_IDS } from '../content/agreementFields.ts';
import { fail, type Failure, type Result } from '../errors.ts';
import type { Seat } from '../seats.ts';
import { applyAgreementAction, initialAgreementState, type AgreementAction, type AgreementState } from './agreement.ts';
import {
  applyDayAction,
  initialMeetingState,
  meetingView,
  PARKED_PROMPTS_MAX,
  VIBE_MAX,
  VIBE_MIN,
  type DayAction,
  type MeetingLogEntry,
  type MeetingState,
  type MeetingView
} from './callItADay.ts';
import { applyPromptAction, initialCustomPrompts, type CustomPromptsState, type PromptAction } from './customPrompts.ts';
import {
  applyVetoAction,
  endMeetingVeto,
  initialVetoState,
  VETO_BALLOTS,
  vetoUsedSince,
  vetoView,
  type ResolvedVote,
  type VetoAction,
  type VetoState,
  type VetoView
} from './goalVeto.ts';
import { applyOnce, OP_ID_MAX, type RecentOps } from './opIds.ts';
import { PARTNER_MISSING_MESSAGE, type SessionContext } from '../guidance/partnerGate.ts';
import { applyRevealAction, initialRevealState, revealView, type RevealAction, type RevealState, type RevealView } from './revealTogether.ts';
import { applySuggestionAction, initialSuggestionsState, type SuggestionAction, type SuggestionsState } from './agreementSuggestions.ts';

/**
 * Everything server-decided about a board's sessions, in one JSON value the server stores as is and
 * loads after a restart [SESS4]. Free text the pair writes together lives in Yjs, not here.
 */
export type SessionState = {
  veto: VetoState;
  meeting: MeetingState;
  agreement: AgreementState;
  customPrompts: CustomPromptsState;
  /** [REV1] Prompts answered in hidden drafts, then revealed together. */
  reveal: RevealState;
  /** [SUGG4] Agreement suggestions already accepted or ignored. */
  suggestions: SuggestionsState;
  /** [SESS2] Recent op ids of every action, so any retried action is a no-op. */
  recentOps: RecentOps;
};

export function initialSessionState(now: number): SessionState {
  return {
    veto: initialVetoState(),
    meeting: initialMeetingState(now),
    agreement: initialAgreementState(),
    customPrompts: initialCustomPrompts(),
    reveal: initialRevealState(),
    suggestions: initialSuggestionsState(),
    recentOps: []
  };
}

// ---- the registry: every session action, its wire schema and its route, in one place ----

const opId = z.string().min(1).max(OP_ID_MAX);
const count = z.number().int().min(0);
const voteId = z.number().int().min(1);

/** What the closing client counted. `vetoUsed` is not asked for: the board knows it [SESS3]. */
export const summaryInputSchema = z.object({
  promptsAnswered: count,
  reflectionsLanded: count,
  reflectionsTotal: count,
  gamesPlayed: count,
  parkedPromptIds: z.array(z.string().min(1).max(100)).max(PARKED_PROMPTS_MAX)
});
export type SummaryInput = z.infer<typeof summaryInputSchema>;

/** The state change an action routes to, without the op-id bookkeeping (applyOnce does that). */
type Route<Shape extends z.ZodRawShape> = (state: SessionState, action: z.infer<z.ZodObject<Shape>>, actor: Seat, now: number) => SessionRouted;
type ActionDef<Shape extends z.ZodRawShape> = { fields: Shape; route: Route<Shape>; needsPartner: boolean };
/** `needsPartner`: [GUIDE2] refused with `WrongPhase` until the other seat has been taken. */
const action = <Shape extends z.ZodRawShape>(fields: Shape, route: Route<Shape>, options: { needsPartner?: true } = {}): ActionDef<Shape> => ({
  fields,
  route,
  needsPartner: options.needsPartner ?? false
});
const withPartner = { needsPartner: true } as const;

/** [SESS5] A closed meeting has nothing left to make goal-free. */
function veto(state: SessionState, vetoAction: VetoAction, actor: Seat, now: number): SessionRouted {
  if (state.meeting.phase === 'closed') return fail('WrongPhase', 'This meeting has ended; start the next one first.');
  const r = applyVetoAction(state.veto, vetoAction, actor, now);
  if (!r.ok) return r;
  return { ok: true, state: { ...state, veto: r.state }, ...(r.resolved && { resolvedVote: r.resolved }) };
}

function day(state: SessionState, dayAction: DayAction, actor: Seat, now: number): SessionRouted {
  const r = applyDayAction(state.meeting, dayAction, actor, now);
  if (!r.ok) return r;
  if (!r.closed) return { ok: true, state: { ...state, meeting: r.state } };
  // [VETO8] The meeting has ended: goals are back for the next one.
  return { ok: true, closedMeeting: r.closed, state: { ...state, meeting: r.state, veto: endMeetingVeto(state.veto) } };
}

function agreement(state: SessionState, agreementAction: AgreementAction, actor: Seat, now: number): SessionRouted {
  const r = applyAgreementAction(state.agreement, agreementAction, actor, now);
  if (!r.ok) return r;
  return { ok: true, state: { ...state, agreement: r.state }, ...(r.clearedSignatures && { clearedSignatures: true }) };
}

function prompts(state: SessionState, promptAction: PromptAction, actor: Seat, now: number): SessionRouted {
  const r = applyPromptAction(state.customPrompts, promptAction, actor, now);
  if (!r.ok) return r;
  return { ok: true, state: { ...state, customPrompts: r.state } };
}

function reveal(state: SessionState, revealAction: RevealAction, actor: Seat, now: number): SessionRouted {
  const r = applyRevealAction(state.reveal, revealAction, actor, now, state.customPrompts);
  if (!r.ok) return r;
  return { ok: true, state: { ...state, reveal: r.state } };
}

/** [SUGG3] An accepted suggestion goes through the agreement's own edit rule (AGR1-AGR3). */
function suggestion(state: SessionState, suggestionAction: SuggestionAction, actor: Seat, now: number): SessionRouted {
  const r = applySuggestionAction(state.suggestions, suggestionAction, actor, now, state.agreement.fields);
  if (!r.ok) return r;
  const settled = { ...state, suggestions: r.state };
  if (!r.newValue) return { ok: true, state: settled };
  return agreement(settled, { type: 'edit', field: r.newValue.field, value: r.newValue.value }, actor, now);
}

const promptId = z.string().min(1).max(100);
const suggestionKey = z.string().min(1).max(120);

/**
 * [SESS6] Every session action: its wire type, its fields (zod) and the rule it routes to. Adding
 * an action is one line here plus the rule itself; the wire schema, the `SessionAction` type the
 * web's `send()` takes and the dispatcher all follow from this table.
 */
export const SESSION_ACTIONS = {
  'veto:call': action({}, (s, _a, actor, now) => veto(s, { type: 'call' }, actor, now), withPartner),
  'veto:cast': action({ voteId, ballot: z.enum(VETO_BALLOTS) }, (s, a, actor, now) =>
    veto(s, { type: 'cast', voteId: a.voteId, ballot: a.ballot }, actor, now)
  ),
  'veto:cancel': action({ voteId }, (s, a, actor, now) => veto(s, { type: 'cancel', voteId: a.voteId }, actor, now)),
  'day:propose': action({}, (s, _a, actor, now) => day(s, { type: 'propose' }, actor, now), withPartner),
  'day:agree': action({}, (s, _a, actor, now) => day(s, { type: 'agree' }, actor, now)),
  'day:notYet': action({}, (s, _a, actor, now) => day(s, { type: 'notYet' }, actor, now)),
  'day:withdraw': action({}, (s, _a, actor, now) => day(s, { type: 'withdraw' }, actor, now)),
  'day:vibe': action({ score: z.number().int().min(VIBE_MIN).max(VIBE_MAX), note: z.string().optional(), summary: summaryInputSchema }, (s, a, actor, now) => {
    const summary = { ...a.summary, vetoUsed: vetoUsedSince(s.veto, s.meeting.startedAt) };
    return day(s, { type: 'vibe', score: a.score, note: a.note, summary }, actor, now);
  }),
  'day:startNext': action({}, (s, _a, actor, now) => day(s, { type: 'startNext' }, actor, now)),
  'agreement:edit': action({ field: z.enum(AGREEMENT_FIELD_IDS), value: z.string() }, (s, a, actor, now) =>
    agreement(s, { type: 'edit', field: a.field, value: a.value }, actor, now)
  ),
  'agreement:sign': action({ version: z.number().int().min(0) }, (s, a, actor, now) => agreement(s, { type: 'sign', version: a.version }, actor, now)),
  'agreement:unsign': action({}, (s, _a, actor, now) => agreement(s, { type: 'unsign' }, actor, now)),
  'prompts:add': action({ id: z.string(), text: z.string() }, (s, a, actor, now) => prompts(s, { type: 'add', id: a.id, text: a.text }, actor, now)),
  'prompts:edit': action({ id: z.string(), text: z.string() }, (s, a, actor, now) => prompts(s, { type: 'edit', id: a.id, text: a.text }, actor, now)),
  'prompts:move': action({ id: z.string(), to: z.number().int() }, (s, a, actor, now) => prompts(s, { type: 'move', id: a.id, to: a.to }, actor, now)),
  'prompts:remove': action({ id: z.string() }, (s, a, actor, now) => prompts(s, { type: 'remove', id: a.id }, actor, now)),
  'reveal:switch': action({ promptId }, (s, a, actor, now) => reveal(s, { type: 'switch', promptId: a.promptId }, actor, now)),
  'reveal:switchOff': action({ promptId }, (s, a, actor, now) => reveal(s, { type: 'switchOff', promptId: a.promptId }, actor, now)),
  'reveal:draft': action({ promptId, text: z.string() }, (s, a, actor, now) => reveal(s, { type: 'draft', promptId: a.promptId, text: a.text }, actor, now)),
  'reveal:ready': action({ promptId }, (s, a, actor, now) => reveal(s, { type: 'ready', promptId: a.promptId }, actor, now)),
  'reveal:unready': action({ promptId }, (s, a, actor, now) => reveal(s, { type: 'unready', promptId: a.promptId }, actor, now)),
  'reveal:meToo': action({ promptId, line: z.string(), on: z.boolean() }, (s, a, actor, now) =>
    reveal(s, { type: 'meToo', promptId: a.promptId, line: a.line, on: a.on }, actor, now)
  ),
  'suggestion:accept': action({ field: z.enum(AGREEMENT_FIELD_IDS), key: suggestionKey, text: z.string() }, (s, a, actor, now) =>
    suggestion(s, { type: 'accept', field: a.field, key: a.key, text: a.text }, actor, now)
  ),
  'suggestion:ignore': action({ field: z.enum(AGREEMENT_FIELD_IDS), key: suggestionKey }, (s, a, actor, now) =>
    suggestion(s, { type: 'ignore', field: a.field, key: a.key }, actor, now)
  )
};

type Actions = typeof SESSION_ACTIONS;
export type SessionActionType = keyof Actions;
type FieldsOfShape<Shape extends z.ZodRawShape> = [keyof Shape] extends [never] ? unknown : z.infer<z.ZodObject<Shape>>;
type FieldsOf<T extends SessionActionType> = FieldsOfShape<Actions[T]['fields']>;

/** One session action on the wire: a discriminated union on `type`; the actor is never part of it. */
export type SessionAction = { [T in SessionActionType]: { type: T; opId: string } & FieldsOf<T> }[SessionActionType];
/** A session action as the web sends it: `send()` adds the op id. */
export type SessionCommand = { [T in SessionActionType]: { type: T } & FieldsOf<T> }[SessionActionType];

const SESSION_ACTION_TYPES = Object.keys(SESSION_ACTIONS) as SessionActionType[];

/** The wire schema, built from the table (zod's discriminated union wants a non-empty tuple). */
export const sessionActionSchema = z.discriminatedUnion(
  'type',
  SESSION_ACTION_TYPES.map((type) => z.object({ type: z.literal(type), opId, ...SESSION_ACTIONS[type].fields })) as unknown as [
    z.ZodObject<{ type: z.ZodLiteral<SessionActionType>; opId: typeof opId }>
  ]
) as unknown as z.ZodType<SessionAction>;

/** Validate a payload from the wire; a bad one becomes a `BadRequest` with zod's first complaint. */
export function parseSessionAction(raw: unknown): Result<{ action: SessionAction }> {
  const parsed = sessionActionSchema.safeParse(raw);
  if (!parsed.success) return fail('BadRequest', parsed.error.issues[0]?.message ?? 'Not a board action.');
  return { ok: true, action: parsed.data };
}

type SessionRouted = Result<{
  state: SessionState;
  /** [AGR2] An edit cleared signatures: tell both partners. */
  clearedSignatures?: true;
  /** A veto vote just resolved: reveal both ballots to both partners. */
  resolvedVote?: ResolvedVote;
  /** The meeting just closed with this log entry. */
  closedMeeting?: MeetingLogEntry;
}>;

export type SessionResult = Result<{
  state: SessionState;
  /** The op was already applied; nothing changed, nothing to broadcast. */
  duplicate?: true;
  clearedSignatures?: true;
  resolvedVote?: ResolvedVote;
  closedMeeting?: MeetingLogEntry;
}>;

/** Whether an action waits for the partner to join [GUIDE2] (the page greys it out with the same rule). */
export function actionNeedsPartner(type: SessionActionType): boolean {
  return SESSION_ACTIONS[type].needsPartner;
}

/**
 * [GUIDE2] The refusal for an action that waits for the partner, or null. Takes anything from the
 * wire (the server checks it before routing); an unknown type is left for the parser to refuse.
 */
export function partnerGate(action: unknown, context: SessionContext): Failure | null {
  const type = typeof action === 'object' && action !== null ? (action as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || !Object.hasOwn(SESSION_ACTIONS, type)) return null;
  return actionNeedsPartner(type as SessionActionType) && !context.partnerJoined ? fail('WrongPhase', PARTNER_MISSING_MESSAGE) : null;
}

/**
 * The one dispatcher: dedupe by op id [SESS2], route through the table, remember the op. The
 * server always passes `context`; without it the partner counts as joined (pure-rule tests).
 */
export function applySessionAction(
  state: SessionState,
  sessionAction: SessionAction,
  actor: Seat,
  now: number,
  context: SessionContext = { partnerJoined: true }
): SessionResult {
  const def = Object.hasOwn(SESSION_ACTIONS, sessionAction.type) ? SESSION_ACTIONS[sessionAction.type] : undefined;
  if (!def) return fail('BadRequest', 'Not a board action.');
  const waits = partnerGate(sessionAction, context);
  if (waits) return waits;
  const route = def.route as Route<z.ZodRawShape>;
  const r = applyOnce(state.recentOps, actor, sessionAction.opId, () => route(state, sessionAction, actor, now));
  if (!r.ok) return r;
  if (r.duplicate) return { ok: true, state, duplicate: true };
  const { recentOps, duplicate: _none, ...applied } = r;
  return { ...applied, state: { ...applied.state, recentOps } };
}

export type SessionView = {
  veto: VetoView;
  meeting: MeetingView;
  agreement: AgreementState;
  customPrompts: CustomPromptsState;
  /** [REV5] My hidden drafts, and only the state of my partner's until the reveal. */
  reveal: RevealView;
  suggestions: SuggestionsState;
};

/** [SESS1] What one seat receives: hidden ballots, vibe scores and drafts never reach the other seat. */
export function sessionView(state: SessionState, seat: Seat): SessionView {
  return {
    veto: vetoView(state.veto, seat),
    meeting: meetingView(state.meeting, seat),
    agreement: state.agreement,
    customPrompts: state.customPrompts,
    reveal: revealView(state.reveal, seat),
    suggestions: state.suggestions
  };
}
