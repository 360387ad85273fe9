import type { RevealView, RevealPromptView, SessionView } from '@pairboard/shared';

/**
 * Reveal together as this seat sees it [REV5]: my hidden drafts, and only whether my partner is
 * writing or ready until the reveal. The drafts are server-decided session state, never a Y.Doc,
 * so they reach the page only through this seat's own view. Commands go through `board.send()`;
 * the common ground is worked out by its own (lazily loaded) strip.
 */
export class RevealTogether {
  readonly #view: () => SessionView | null;

  constructor(view: () => SessionView | null) {
    this.#view = view;
  }

  /** The prompt's reveal state, or null when it is answered live. */
  of(promptId: string): RevealPromptView | null {
    return this.#view()?.reveal?.prompts.find((p) => p.promptId === promptId) ?? null;
  }

  /** Every prompt's reveal state, as this seat may see it. */
  get view(): RevealView {
    return this.#view()?.reveal ?? { prompts: [] };
  }

  /** [REV9] Whether anyone marked a line "me too" yet: the strip's code loads only then. */
  get hasCommonGround(): boolean {
    return this.view.prompts.some((p) => p.meToo.mine.length > 0 || p.meToo.partner.length > 0);
  }
}
