import * as Y from 'yjs';
import { LOCAL_ORIGIN } from '@pairboard/shared';

/**
 * Two-way binding of a <textarea> to a Y.Text, used as a Svelte attachment.
 *
 * Local input becomes the smallest insert/delete (common prefix and suffix kept), so concurrent
 * edits merge by character. Remote changes rewrite the value while the caret and selection are
 * carried through them as Yjs relative positions, taken just before the change is applied: my
 * caret never jumps when another tab (or my own offline edits syncing back) changes the text.
 */
export function bindTextarea(ytext: Y.Text, maxLength: number) {
  return (textarea: HTMLTextAreaElement) => {
    const doc = ytext.doc!;
    textarea.value = ytext.toString();

    const onInput = () => {
      const before = ytext.toString();
      let after = textarea.value;
      if (after.length > maxLength) {
        // A paste past the limit keeps what fits; the counter beside the field says why.
        after = after.slice(0, maxLength);
        textarea.value = after;
      }
      let start = 0;
      while (start < before.length && start < after.length && before[start] === after[start]) start++;
      let endBefore = before.length;
      let endAfter = after.length;
      while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
        endBefore--;
        endAfter--;
      }
      doc.transact(() => {
        if (endBefore > start) ytext.delete(start, endBefore - start);
        if (endAfter > start) ytext.insert(start, after.slice(start, endAfter));
      }, LOCAL_ORIGIN);
    };

    let selection: [Y.RelativePosition, Y.RelativePosition] | null = null;
    const beforeTransaction = (tx: Y.Transaction) => {
      if (tx.origin === LOCAL_ORIGIN || document.activeElement !== textarea) return;
      selection = [
        Y.createRelativePositionFromTypeIndex(ytext, textarea.selectionStart),
        Y.createRelativePositionFromTypeIndex(ytext, textarea.selectionEnd)
      ];
    };
    const onChange = (_event: Y.YTextEvent, tx: Y.Transaction) => {
      if (tx.origin === LOCAL_ORIGIN) return;
      const next = ytext.toString();
      const kept = selection;
      selection = null;
      if (next === textarea.value) return;
      textarea.value = next;
      if (kept) {
        const [start, end] = kept.map((rel) => Y.createAbsolutePositionFromRelativePosition(rel, doc)?.index ?? 0);
        textarea.setSelectionRange(start!, end!);
      }
    };
    const clearSelection = () => (selection = null);

    doc.on('beforeTransaction', beforeTransaction);
    doc.on('afterTransaction', clearSelection);
    ytext.observe(onChange);
    textarea.addEventListener('input', onInput);
    return () => {
      doc.off('beforeTransaction', beforeTransaction);
      doc.off('afterTransaction', clearSelection);
      ytext.unobserve(onChange);
      textarea.removeEventListener('input', onInput);
    };
  };
}
