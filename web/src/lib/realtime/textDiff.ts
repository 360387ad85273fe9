/** The smallest edit turning `before` into `after`: delete `remove` chars at `index`, insert `insert`. */
export type TextEdit = { index: number; remove: number; insert: string };

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * Common prefix and suffix kept, so concurrent edits merge by character. Never splits a surrogate
 * pair (an emoji): Yjs would store the lone halves as U+FFFD and the partner would see garbage.
 */
export function diffText(before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  if (start > 0 && isHighSurrogate(before.charCodeAt(start - 1))) start--;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  // The suffix must not start on the low half of a pair whose high half was changed.
  if (endBefore < before.length && endBefore > start && isHighSurrogate(before.charCodeAt(endBefore - 1))) {
    endBefore++;
    endAfter++;
  }
  return { index: start, remove: endBefore - start, insert: after.slice(start, endAfter) };
}

/** Clips an edit's insertion so the text stays within `max` (UTF-16 units, as the textarea counts). */
export function clipEdit(edit: TextEdit, beforeLength: number, max: number): TextEdit {
  const room = max - (beforeLength - edit.remove);
  if (edit.insert.length <= room) return edit;
  let insert = edit.insert.slice(0, Math.max(0, room));
  if (insert.length > 0 && isHighSurrogate(insert.charCodeAt(insert.length - 1))) insert = insert.slice(0, -1);
  return { ...edit, insert };
}
