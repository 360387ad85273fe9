import { fail, type Failure, type Result } from '../errors.ts';
import { LIMITS } from '../limits.ts';
import { otherSeat, type Seat } from '../seats.ts';

/**
 * "Don't be afraid to call it a day and pick things up in your next meeting"
 * (getting-to-know-your-mentoring-partner.md): a two-sided handshake that ends a meeting, a private
 * vibe check, and the meeting log the programme rules read. SPEC.md: DAY*.
 *
 * open --propose--> proposed --agree (the other)--> vibe-check --both vibes--> closed --startNext--> open
 *                      |  \--notYet (the other)--> open (with a "not yet" notice)
 *                      \--withdraw (the proposer)--> open
 */
export type MeetingPhase = 'open' | 'proposed' | 'vibe-check' | 'closed';

export const VIBE_MIN = 1;
export const VIBE_MAX = 5;
/** Parked prompt ids are references, not text: a sane bound, not a product limit. */
export const PARKED_PROMPTS_MAX = 100;
const PROMPT_ID_MAX = 100;

export type Vibe = { score: number; note: string; at: number };

/** What the caller counted when the meeting closed; the board keeps it with the log entry. */
export type MeetingSummary = {
  promptsAnswered: number;
  reflectionsLanded: number;
  reflectionsTotal: number;
  gamesPlayed: number;
  vetoUsed: boolean;
  /** Prompts left for next time; they carry over into the next meeting [DAY9]. */
  parkedPromptIds: string[];
};

export type MeetingLogEntry = {
  number: number;
  startedAt: number;
  endedAt: number;
  vibe: Record<Seat, number>;
  notes: Record<Seat, string>;
  summary: MeetingSummary;
};

export type MeetingState = {
  number: number;
  startedAt: number;
  phase: MeetingPhase;
  proposal: { by: Seat; at: number } | null;
  /** [DAY4] Shown to both until the next proposal, so the proposer learns the answer. */
  notYet: { by: Seat; at: number } | null;
  vibes: Record<Seat, Vibe | null>;
  /** Parked prompt ids carried in from the previous meeting. */
  carriedOver: string[];
  log: MeetingLogEntry[];
};

export type DayAction =
  | { type: 'propose' }
  | { type: 'agree' }
  | { type: 'notYet' }
  | { type: 'withdraw' }
  | { type: 'vibe'; score: number; note?: string | undefined; summary: MeetingSummary }
  | { type: 'startNext' };

export type DayResult = Result<{ state: MeetingState; closed?: MeetingLogEntry }>;

export function initialMeetingState(now: number): MeetingState {
  return freshMeeting(1, now, [], []);
}

function freshMeeting(number: number, now: number, carriedOver: string[], log: MeetingLogEntry[]): MeetingState {
  return {
    number,
    startedAt: now,
    phase: 'open',
    proposal: null,
    notYet: null,
    vibes: { mentor: null, mentee: null },
    carriedOver,
    log
  };
}

/** When the programme started: the first meeting's start, logged or still running. */
export function firstMeetingAt(state: MeetingState): number {
  return state.log[0]?.startedAt ?? state.startedAt;
}

export function applyDayAction(state: MeetingState, action: DayAction, actor: Seat, now: number): DayResult {
  switch (action.type) {
    case 'propose':
      return propose(state, actor, now);
    case 'agree':
      return answer(state, actor, (s) => ({ ...s, phase: 'vibe-check', proposal: null }));
    case 'notYet':
      return answer(state, actor, (s) => ({ ...s, phase: 'open', proposal: null, notYet: { by: actor, at: now } }));
    case 'withdraw':
      return withdraw(state, actor);
    case 'vibe':
      return vibe(state, action, actor, now);
    case 'startNext':
      return startNext(state, now);
    default:
      return fail('BadRequest', 'Unknown call-it-a-day action.');
  }
}

/** [DAY1] Either partner may suggest calling it a day while the meeting is open. */
function propose(state: MeetingState, actor: Seat, now: number): DayResult {
  if (state.phase === 'proposed')
    return state.proposal?.by === actor
      ? fail('AlreadyDone', 'You have already suggested calling it a day.')
      : fail('WrongPhase', 'Your partner already suggested calling it a day: agree, or say not yet.');
  if (state.phase !== 'open') return fail('WrongPhase', 'This meeting is already wrapping up.');
  return { ok: true, state: { ...state, phase: 'proposed', proposal: { by: actor, at: now }, notYet: null } };
}

/** [DAY2] Only the other partner answers a proposal: agree [DAY3] or not yet [DAY4]. */
function answer(state: MeetingState, actor: Seat, next: (s: MeetingState) => MeetingState): DayResult {
  if (state.phase !== 'proposed' || !state.proposal) return fail('WrongPhase', 'Nobody has suggested calling it a day.');
  if (state.proposal.by === actor) return fail('NotYourTurn', 'Your partner answers your suggestion, not you.');
  return { ok: true, state: next(state) };
}

/** [DAY5] The proposer may take the suggestion back before it is answered. */
function withdraw(state: MeetingState, actor: Seat): DayResult {
  if (state.phase !== 'proposed' || !state.proposal) return fail('WrongPhase', 'There is no suggestion to withdraw.');
  if (state.proposal.by !== actor) return fail('Forbidden', 'Only the partner who suggested it can withdraw it.');
  return { ok: true, state: { ...state, phase: 'open', proposal: null } };
}

/** [DAY6] One private vibe score per seat; [DAY7] the second one closes the meeting. */
function vibe(state: MeetingState, action: Extract<DayAction, { type: 'vibe' }>, actor: Seat, now: number): DayResult {
  if (state.phase !== 'vibe-check') return fail('WrongPhase', 'The vibe check comes after you both call it a day.');
  if (state.vibes[actor] !== null) return fail('AlreadyDone', 'You have already given your vibe score.');
  if (!Number.isInteger(action.score) || action.score < VIBE_MIN || action.score > VIBE_MAX)
    return fail('BadRequest', `A vibe score is a whole number from ${VIBE_MIN} to ${VIBE_MAX}.`);
  const note = (action.note ?? '').trim();
  if ([...note].length > LIMITS.shortTextMax) return fail('BadRequest', `A vibe note can be at most ${LIMITS.shortTextMax} characters.`);
  const badSummary = checkSummary(action.summary);
  if (badSummary) return badSummary;

  const vibes = { ...state.vibes, [actor]: { score: action.score, note, at: now } };
  const { mentor, mentee } = vibes;
  if (!mentor || !mentee) return { ok: true, state: { ...state, vibes } };

  const entry: MeetingLogEntry = {
    number: state.number,
    startedAt: state.startedAt,
    endedAt: now,
    vibe: { mentor: mentor.score, mentee: mentee.score },
    notes: { mentor: mentor.note, mentee: mentee.note },
    summary: { ...action.summary, parkedPromptIds: [...new Set(action.summary.parkedPromptIds)] }
  };
  return { ok: true, closed: entry, state: { ...state, vibes, phase: 'closed', log: [...state.log, entry] } };
}

function checkSummary(s: MeetingSummary): Failure | null {
  const counts = [s.promptsAnswered, s.reflectionsLanded, s.reflectionsTotal, s.gamesPlayed];
  if (!counts.every((n) => Number.isInteger(n) && n >= 0)) return fail('BadRequest', 'Meeting counts are whole numbers, zero or more.');
  if (s.reflectionsLanded > s.reflectionsTotal) return fail('BadRequest', 'More reflections landed than were written.');
  if (typeof s.vetoUsed !== 'boolean') return fail('BadRequest', 'vetoUsed is true or false.');
  if (
    !Array.isArray(s.parkedPromptIds) ||
    s.parkedPromptIds.length > PARKED_PROMPTS_MAX ||
    !s.parkedPromptIds.every((id) => typeof id === 'string' && id.length > 0 && id.length <= PROMPT_ID_MAX)
  )
    return fail('BadRequest', `Park at most ${PARKED_PROMPTS_MAX} prompts, each by its id.`);
  return null;
}

/** [DAY9] Either partner starts the next meeting once this one is closed; parked prompts carry over. */
function startNext(state: MeetingState, now: number): DayResult {
  if (state.phase !== 'closed') return fail('WrongPhase', 'Finish this meeting before starting the next one.');
  const carried = state.log.at(-1)?.summary.parkedPromptIds ?? [];
  return { ok: true, state: freshMeeting(state.number + 1, now, carried, state.log) };
}

export type VibeView = {
  yours: Vibe | null;
  partnerHasGiven: boolean;
  /** Only once both have given theirs, i.e. the meeting is closed. */
  partner: Vibe | null;
};

export type MeetingView = Omit<MeetingState, 'vibes'> & { vibe: VibeView };

/** [DAY8] What one seat may see: its own vibe, and the partner's only after both are in. */
export function meetingView(state: MeetingState, seat: Seat): MeetingView {
  const { vibes, ...rest } = state;
  const partner = vibes[otherSeat(seat)];
  return {
    ...rest,
    vibe: {
      yours: vibes[seat],
      partnerHasGiven: partner !== null,
      partner: state.phase === 'closed' ? partner : null
    }
  };
}
