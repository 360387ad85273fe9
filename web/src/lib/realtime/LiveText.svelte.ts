import { createSubscriber } from 'svelte/reactivity';
import type * as Y from 'yjs';
import { bindTextarea } from './bindTextarea.ts';

/** How long after a partner's last keystroke we still say "typing…". */
const TYPING_WINDOW_MS = 1_500;

/**
 * A Y.Text as a Svelte value: reading `value` in a component re-renders it on every change, and
 * `typing` is true while remote (not local) edits keep arriving. The Y.Text itself stays private:
 * a component writes through `bind()`, an attachment for its <textarea> or <input>.
 */
export class LiveText {
  typing = $state(false);
  readonly #ytext: Y.Text;
  readonly #subscribe: () => void;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;

  /** `isLive` says whether the document has finished its first sync: loading is not typing. */
  constructor(ytext: Y.Text, isLive: () => boolean = () => true) {
    this.#ytext = ytext;
    this.#subscribe = createSubscriber((update) => {
      const onChange = (_event: Y.YTextEvent, tx: Y.Transaction) => {
        if (!tx.local && isLive()) this.#markTyping();
        update();
      };
      ytext.observe(onChange);
      return () => {
        ytext.unobserve(onChange);
        clearTimeout(this.#typingTimer);
      };
    });
  }

  get value(): string {
    this.#subscribe();
    return this.#ytext.toString();
  }

  /** A Svelte attachment binding a text field to this text, both ways, clipped to `maxLength`. */
  bind(maxLength: number): (field: HTMLTextAreaElement | HTMLInputElement) => () => void {
    return bindTextarea(this.#ytext, maxLength);
  }

  #markTyping(): void {
    this.typing = true;
    clearTimeout(this.#typingTimer);
    this.#typingTimer = setTimeout(() => (this.typing = false), TYPING_WINDOW_MS);
  }
}
