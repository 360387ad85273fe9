/**
 * The page's one polite live region (A11Y2). Every partner event, and the few of the person's own
 * that a screen reader must hear (offline, back online, the link copied), goes through
 * `announcer.announce()`, so two regions never speak at once and nothing is said twice.
 */

/** Sentences said within this window are said together, in order, as one message. */
const GATHER_MS = 120;
/** The same sentence again within this window is dropped (two components reacting to one event). */
const REPEAT_MS = 3_000;
/** The region empties after a while, so a later identical sentence is spoken again. */
const CLEAR_MS = 8_000;

export class Announcer {
  /** What the region says now. */
  message = $state('');
  readonly #waiting: string[] = [];
  /** When each sentence was last said. Not state: nothing renders from it. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #recent = new Map<string, number>();
  #gatherTimer: ReturnType<typeof setTimeout> | undefined;
  #clearTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly now: () => number = Date.now) {}

  announce(...sentences: string[]): void {
    const at = this.now();
    for (const raw of sentences) {
      const text = raw.replace(/\s+/g, ' ').trim();
      if (!text || this.#waiting.includes(text)) continue;
      const said = this.#recent.get(text);
      if (said !== undefined && at - said < REPEAT_MS) continue;
      this.#recent.set(text, at);
      this.#waiting.push(text);
    }
    for (const [text, said] of this.#recent) if (at - said >= REPEAT_MS) this.#recent.delete(text);
    if (this.#waiting.length > 0 && this.#gatherTimer === undefined) this.#gatherTimer = setTimeout(() => this.#flush(), GATHER_MS);
  }

  /** Forgets everything (a new page). */
  reset(): void {
    clearTimeout(this.#gatherTimer);
    clearTimeout(this.#clearTimer);
    this.#gatherTimer = undefined;
    this.#waiting.length = 0;
    this.#recent.clear();
    this.message = '';
  }

  #flush(): void {
    this.#gatherTimer = undefined;
    if (this.#waiting.length === 0) return;
    this.message = this.#waiting.splice(0).join(' ');
    clearTimeout(this.#clearTimer);
    this.#clearTimer = setTimeout(() => (this.message = ''), CLEAR_MS);
  }
}

/** The page's announcer; LiveAnnouncer.svelte (in the layout) renders its region. */
export const announcer = new Announcer();
