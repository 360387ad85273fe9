import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';

/** How long after a partner's last keystroke we still say "typing…". */
const TYPING_WINDOW_MS = 1_500;

/**
 * A Y.Text as a Svelte value: reading `value` in a component re-renders it on every change, and
 * `typing` is true while remote (not local) edits keep arriving.
 */
export class LiveText {
  typing = $state(false);
  private readonly subscribe: () => void;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;

  /** `isLive` says whether the document has finished its first sync: loading is not typing. */
  constructor(
    readonly ytext: Y.Text,
    private readonly isLive: () => boolean = () => true
  ) {
    this.subscribe = createSubscriber((update) => {
      const onChange = (_event: Y.YTextEvent, tx: Y.Transaction) => {
        if (!tx.local && this.isLive()) this.markTyping();
        update();
      };
      ytext.observe(onChange);
      return () => {
        ytext.unobserve(onChange);
        clearTimeout(this.typingTimer);
      };
    });
  }

  get value(): string {
    this.subscribe();
    return this.ytext.toString();
  }

  private markTyping(): void {
    this.typing = true;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => (this.typing = false), TYPING_WINDOW_MS);
  }
}
