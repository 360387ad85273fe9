import { CHARTER_PROMPTS } from '../content/charterPrompts.ts';
import { fail, type Result } from '../errors.ts';
import { LIMITS } from '../limits.ts';
import { FIRST_SESSION_QUESTIONS } from '../questions.ts';
import { otherSeat, SEATS, type Seat } from '../seats.ts';
import type { CustomPromptsState } from './customPrompts.ts';

export { revealedAnswer, revealedMeToo } from './revealedAnswers.ts';

/**
 * Answer, then reveal together. A prompt switched to "reveal together" is answered in hidden drafts
 * kept here, on the server, never in a Y.Doc (both seats sync all three documents, DOC1): each seat's
 * view carries only its own draft and whether the partner has written or is ready [REV5]. Both press
 * "reveal" (a handshake like the vibe check) and both answers show at once; they stay as revealed
 * [REV7], so a line marked "me too" always means the words that were marked. SPEC.md: REV*.
 */
export type RevealDraft = { text: string; savedAt: number | null; readyAt: number | null };

export type RevealPrompt = {
  promptId: string;
  switchedBy: Seat;
  switchedAt: number;
  drafts: Record<Seat, RevealDraft>;
  /** Set when the second seat pressed "reveal"; from then on both texts are in both views. */
  revealedAt: number | null;
  /** Lines of the partner's revealed answer that this seat marked "me too" (keyed by the marker). */
  meToo: Record<Seat, string[]>;
};

export type RevealState = { prompts: RevealPrompt[] };

export type RevealAction =
  | { type: 'switch'; promptId: string }
  | { type: 'switchOff'; promptId: string }
  | { type: 'draft'; promptId: string; text: string }
  | { type: 'ready'; promptId: string }
  | { type: 'unready'; promptId: string }
  | { type: 'meToo'; promptId: string; line: string; on: boolean };

export type RevealResult = Result<{ state: RevealState }>;

/** What the partner's column may say before the reveal: never a word of the draft [REV5]. */
export type PartnerDraftStatus = 'empty' | 'writing' | 'ready';

export type RevealPromptView = {
  promptId: string;
  switchedBy: Seat;
  switchedAt: number;
  revealedAt: number | null;
  mine: { text: string; savedAt: number | null; ready: boolean };
  /** `text` is null until the reveal. */
  partner: { status: PartnerDraftStatus; text: string | null };
  meToo: { mine: string[]; partner: string[] };
};
export type RevealView = { prompts: RevealPromptView[] };

/** Six questions, the charter and 30 own prompts fit; a bound on stored state all the same. */
export const REVEAL_PROMPTS_MAX = 60;

export function initialRevealState(): RevealState {
  return { prompts: [] };
}

const emptyDraft = (): RevealDraft => ({ text: '', savedAt: null, readyAt: null });
const blank = (text: string) => text.trim() === '';

/** [REV1] The prompts a pair answers: the first-session questions, the charter and their own. */
export function isRevealablePrompt(promptId: string, customPrompts: CustomPromptsState): boolean {
  return (
    FIRST_SESSION_QUESTIONS.some((q) => q.id === promptId) ||
    CHARTER_PROMPTS.some((p) => p.id === promptId) ||
    customPrompts.prompts.some((p) => p.id === promptId)
  );
}

/** [REV8] The lines one can mark "me too": each non-blank line of an answer, trimmed. */
export function answerLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

export function applyRevealAction(state: RevealState, action: RevealAction, actor: Seat, now: number, customPrompts: CustomPromptsState): RevealResult {
  if (action.type === 'switch') return switchOn(state, action.promptId, actor, now, customPrompts);
  const index = state.prompts.findIndex((p) => p.promptId === action.promptId);
  const prompt = state.prompts[index];
  if (!prompt) return fail('NotFound', 'That prompt is not set to reveal together.');
  const put = (next: RevealPrompt): RevealResult => ({ ok: true, state: { prompts: state.prompts.map((p, i) => (i === index ? next : p)) } });
  const mine = prompt.drafts[actor];
  const anyReady = SEATS.some((seat) => prompt.drafts[seat].readyAt !== null);

  switch (action.type) {
    case 'switchOff':
      // [REV2] Back to live answers only while nothing hidden would be lost or shown.
      if (prompt.revealedAt !== null || anyReady) return fail('WrongPhase', 'One of you is ready to reveal: reveal together, or take "ready" back first.');
      if (SEATS.some((seat) => !blank(prompt.drafts[seat].text)))
        return fail('WrongPhase', 'A hidden answer has been written: reveal it together, or empty it first.');
      return { ok: true, state: { prompts: state.prompts.filter((_, i) => i !== index) } };
    case 'draft': {
      // [REV3] Only one's own draft, until one pressed "reveal".
      if (typeof action.text !== 'string') return fail('BadRequest', 'An answer is text.');
      if ([...action.text].length > LIMITS.answerMax) return fail('BadRequest', `An answer can be at most ${LIMITS.answerMax} characters.`);
      if (prompt.revealedAt !== null) return fail('WrongPhase', 'These answers were revealed; they stay as they were shown.');
      if (mine.readyAt !== null) return fail('WrongPhase', 'You pressed reveal; take it back to change your answer.');
      if (mine.text === action.text) return { ok: true, state };
      return put({ ...prompt, drafts: { ...prompt.drafts, [actor]: { ...mine, text: action.text, savedAt: now } } });
    }
    case 'ready': {
      // [REV4] The handshake: the reveal happens when the second seat presses it.
      if (prompt.revealedAt !== null || mine.readyAt !== null) return fail('AlreadyDone', 'You already pressed reveal.');
      if (blank(mine.text)) return fail('BadRequest', 'Write your answer first, then press reveal.');
      const drafts = { ...prompt.drafts, [actor]: { ...mine, readyAt: now } };
      const both = SEATS.every((seat) => drafts[seat].readyAt !== null);
      return put({ ...prompt, drafts, revealedAt: both ? now : null });
    }
    case 'unready':
      if (prompt.revealedAt !== null) return fail('WrongPhase', 'These answers were already revealed.');
      if (mine.readyAt === null) return fail('AlreadyDone', 'You had not pressed reveal.');
      return put({ ...prompt, drafts: { ...prompt.drafts, [actor]: { ...mine, readyAt: null } } });
    case 'meToo': {
      // [REV8] Only on a revealed answer, only lines of the partner's answer.
      if (prompt.revealedAt === null) return fail('WrongPhase', 'Answers can be marked once they are revealed.');
      if (typeof action.line !== 'string') return fail('BadRequest', 'Mark a line of the answer.');
      const line = action.line.trim();
      if (!answerLines(prompt.drafts[otherSeat(actor)].text).includes(line)) return fail('NotFound', 'That line is not in your partner’s answer.');
      const marked = prompt.meToo[actor];
      const has = marked.includes(line);
      if (has === action.on) return { ok: true, state };
      const next = action.on ? [...marked, line] : marked.filter((l) => l !== line);
      return put({ ...prompt, meToo: { ...prompt.meToo, [actor]: next } });
    }
    default:
      return fail('BadRequest', 'Unknown reveal action.');
  }
}

/** [REV1] Either partner, once per prompt, for any prompt the pair answers. */
function switchOn(state: RevealState, promptId: string, actor: Seat, now: number, customPrompts: CustomPromptsState): RevealResult {
  if (typeof promptId !== 'string' || !isRevealablePrompt(promptId, customPrompts)) return fail('NotFound', 'There is no such prompt.');
  if (state.prompts.some((p) => p.promptId === promptId)) return fail('AlreadyDone', 'That prompt is already set to reveal together.');
  if (state.prompts.length >= REVEAL_PROMPTS_MAX) return fail('BadRequest', `At most ${REVEAL_PROMPTS_MAX} prompts can be revealed together.`);
  const prompt: RevealPrompt = {
    promptId,
    switchedBy: actor,
    switchedAt: now,
    drafts: { mentor: emptyDraft(), mentee: emptyDraft() },
    revealedAt: null,
    meToo: { mentor: [], mentee: [] }
  };
  return { ok: true, state: { prompts: [...state.prompts, prompt] } };
}

/** [REV5] One seat's view: the partner's words only after the reveal. */
export function revealView(state: RevealState, seat: Seat): RevealView {
  const partner = otherSeat(seat);
  return {
    prompts: state.prompts.map((p) => {
      const theirs = p.drafts[partner];
      const revealed = p.revealedAt !== null;
      const status: PartnerDraftStatus = theirs.readyAt !== null ? 'ready' : blank(theirs.text) ? 'empty' : 'writing';
      return {
        promptId: p.promptId,
        switchedBy: p.switchedBy,
        switchedAt: p.switchedAt,
        revealedAt: p.revealedAt,
        mine: { text: p.drafts[seat].text, savedAt: p.drafts[seat].savedAt, ready: p.drafts[seat].readyAt !== null },
        partner: { status, text: revealed ? theirs.text : null },
        meToo: { mine: revealed ? [...p.meToo[seat]] : [], partner: revealed ? [...p.meToo[partner]] : [] }
      };
    })
  };
}

/** One line of the common-ground strip: `markedBy` said "me too" to a line `writtenBy` wrote. */
export type CommonGroundLine = { promptId: string; line: string; writtenBy: Seat; markedBy: Seat };

/**
 * [REV9] The common ground: every line one partner marked "me too" in the other's revealed answer,
 * prompt by prompt in the order they were switched, each line once per prompt.
 */
export function commonGround(view: RevealView, you: Seat): CommonGroundLine[] {
  const partner = otherSeat(you);
  const lines: CommonGroundLine[] = [];
  for (const p of view.prompts) {
    if (p.revealedAt === null || p.partner.text === null) continue;
    const seen = new Set<string>();
    const add = (line: string, writtenBy: Seat, markedBy: Seat) => {
      if (seen.has(line)) return;
      seen.add(line);
      lines.push({ promptId: p.promptId, line, writtenBy, markedBy });
    };
    // A mark counts only while its line is still in the answer (answers are frozen, so always).
    const theirLines = answerLines(p.partner.text);
    const myLines = answerLines(p.mine.text);
    for (const line of p.meToo.mine) if (theirLines.includes(line)) add(line, partner, you);
    for (const line of p.meToo.partner) if (myLines.includes(line)) add(line, you, partner);
  }
  return lines;
}
