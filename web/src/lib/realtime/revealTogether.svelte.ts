import { commonGround, type CommonGroundLine, type RevealPromptView, type Seat, type SessionView } from '@pairboard/shared';

/**
 * Reveal together as this seat sees it [REV5]: my hidden drafts, and only whether my partner is
 * writing or ready until the reveal. The drafts are server-decided session state, never a Y.Doc,
 * so they reach the page only through this seat's own view. Commands go through `board.send()`.
 */
export class RevealTogether {
  readonly #view: () => SessionView | null;
  readonly #you: Seat;

  constructor(view: () => SessionView | null, you: Seat) {
    this.#view = view;
    this.#you = you;
  }

  /** The prompt's reveal state, or null when it is answered live. */
  of(promptId: string): RevealPromptView | null {
    return this.#view()?.reveal?.prompts.find((p) => p.promptId === promptId) ?? null;
  }

  /** [REV9] Every "me too" line, the same for both partners. */
  get commonGround(): CommonGroundLine[] {
    const view = this.#view()?.reveal;
    return view ? commonGround(view, this.#you) : [];
  }
}
