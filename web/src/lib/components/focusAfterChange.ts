import { tick } from 'svelte';

/**
 * Focus placed on purpose after a live change (A11Y3). When a control that had focus is removed
 * or disabled (a vote cast, a game started, a card picked), Chromium leaves focus on <body> and
 * the next Tab starts from the top or jumps into the next section. These helpers move it to what
 * replaced that control, and only when focus really was lost that way: never away from where the
 * person is typing, and never because a section happened to load.
 */

/** The last element that had focus on this page (null before anything had). */
let lastFocused: Element | null = null;
if (typeof document !== 'undefined') document.addEventListener('focusin', (event) => (lastFocused = event.target as Element), true);

/** Nothing, <body> (where SvelteKit parks focus after a navigation), gone, or a disabled button. */
function unusable(element: Element | null): boolean {
  if (!element || element === element.ownerDocument.body || !element.isConnected) return true;
  return element instanceof HTMLButtonElement && element.disabled;
}

/** Whether focus is nowhere useful because what had it was removed or disabled. */
export function focusIsLost(doc: Document = document): boolean {
  const active = doc.activeElement;
  const nowhere = unusable(active);
  return nowhere && (lastFocused === null || unusable(lastFocused));
}

/** An attachment: gives `node` focus when it appears and focus was lost. */
export function focusIfLost(node: HTMLElement): void {
  void tick().then(() => {
    if (node.isConnected && focusIsLost(node.ownerDocument)) node.focus();
  });
}

/** After an action of mine whose control goes away or is disabled: focus what `find` returns once the DOM has updated. */
export async function moveFocusAfterUpdate(find: () => HTMLElement | null | undefined): Promise<void> {
  await tick();
  const target = find();
  if (target && focusIsLost(target.ownerDocument)) target.focus();
}
