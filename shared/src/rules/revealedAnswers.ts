import type { Seat } from '../seats.ts';
import type { RevealView } from './revealTogether.ts';

// Apart from revealTogether.ts (the server's rules, with the prompt catalogues they check against):
// the board page reads revealed answers on its first render, and importing the rules module there
// put ~0.5 KB gzipped over the first-load budget (WEIGHT1).

/**
 * [REV6][SUM4][EXP2] A seat's answer to a prompt answered "reveal together", as the board shows it:
 * that seat's text once both pressed reveal, '' before — the reader's own hidden draft too, since
 * until the reveal a prompt has no answer outside the drafts [REV5]. Null when the prompt is
 * answered live (read its answer from the documents). One rule for the export and the counts.
 */
export function revealedAnswer(view: RevealView | undefined, you: Seat, seat: Seat, promptId: string): string | null {
  const prompt = view?.prompts.find((p) => p.promptId === promptId);
  if (!prompt) return null;
  if (prompt.revealedAt === null || prompt.partner.text === null) return '';
  return seat === you ? prompt.mine.text : prompt.partner.text;
}

/** [REV8][EXP2] The lines `marker` marked "me too" in the other seat's revealed answer ([] before the reveal). */
export function revealedMeToo(view: RevealView | undefined, you: Seat, marker: Seat, promptId: string): string[] {
  const prompt = view?.prompts.find((p) => p.promptId === promptId);
  if (!prompt || prompt.revealedAt === null) return [];
  return [...(marker === you ? prompt.meToo.mine : prompt.meToo.partner)];
}
