import * as Y from 'yjs';
import { LOCAL_ORIGIN } from '@pairboard/shared';
import { clipEdit, diffText } from './textDiff.ts';

/**
 * Two-way binding of a <textarea> (or a one-line <input>) to a Y.Text, used as a Svelte attachment.
 *
 * Local input becomes the smallest insert/delete (textDiff.ts), so concurrent edits merge by
 * character. Remote changes rewrite the value while the caret and selection are
 * carried through them as Yjs relative positions, taken just before the change is applied: my
 * caret never jumps when another tab (or my own offline edits syncing back) changes the text.
 */
export function bindTextarea(ytext: Y.Text, maxLength: number) {
  // Only what an <input> shares with a <textarea> is used: value, selection, input events.
  return (textarea: HTMLTextAreaElement | HTMLInputElement) => {
    const doc = ytext.doc!;
    textarea.value = ytext.toString();

    const onInput = () => {
      if (composition) return; // an IME is still building the character; taken on compositionend
      const before = ytext.toString();
      const proposed = textarea.value;
      const edit = clipEdit(diffText(before, proposed), before.length, maxLength);
      doc.transact(() => {
        if (edit.remove > 0) ytext.delete(edit.index, edit.remove);
        if (edit.insert) ytext.insert(edit.index, edit.insert);
      }, LOCAL_ORIGIN);
      const after = ytext.toString();
      if (after !== proposed) {
        // A paste past the limit keeps what fits, where it was pasted; the counter says why.
        const caret = edit.index + edit.insert.length;
        textarea.value = after;
        textarea.setSelectionRange(caret, caret);
      }
    };

    // While an IME composes (Chinese, Japanese, Korean, dictation…), rewriting the field would
    // cancel the composition: remote changes wait until it ends. The composed text then goes in
    // where the composition started, tracked as Yjs relative positions so remote edits around it
    // are kept, not reverted.
    let composition: { base: string; from: number; to: number; anchors: [Y.RelativePosition, Y.RelativePosition] } | null = null;
    let missedRemote = false;
    const onCompositionStart = () => {
      // Text fields always have a selection (null only for input types without one).
      const from = textarea.selectionStart ?? 0;
      const to = textarea.selectionEnd ?? 0;
      composition = {
        base: textarea.value,
        from,
        to,
        anchors: [Y.createRelativePositionFromTypeIndex(ytext, from), Y.createRelativePositionFromTypeIndex(ytext, to)]
      };
    };
    const onCompositionEnd = () => {
      const done = composition;
      composition = null;
      if (!done || !missedRemote) return onInput();
      missedRemote = false;
      const composed = textarea.value.slice(done.from, textarea.value.length - (done.base.length - done.to));
      const [start, end] = done.anchors.map((rel) => Y.createAbsolutePositionFromRelativePosition(rel, doc)?.index ?? 0) as [number, number];
      const current = ytext.toString();
      const edit = clipEdit({ index: start, remove: Math.max(0, end - start), insert: composed }, current.length, maxLength);
      doc.transact(() => {
        if (edit.remove > 0) ytext.delete(edit.index, edit.remove);
        if (edit.insert) ytext.insert(edit.index, edit.insert);
      }, LOCAL_ORIGIN);
      const caret = edit.index + edit.insert.length;
      textarea.value = ytext.toString();
      textarea.setSelectionRange(caret, caret);
    };

    let selection: [Y.RelativePosition, Y.RelativePosition] | null = null;
    const beforeTransaction = (tx: Y.Transaction) => {
      if (tx.origin === LOCAL_ORIGIN || document.activeElement !== textarea) return;
      selection = [
        Y.createRelativePositionFromTypeIndex(ytext, textarea.selectionStart ?? 0),
        Y.createRelativePositionFromTypeIndex(ytext, textarea.selectionEnd ?? 0)
      ];
    };
    const onChange = (_event: Y.YTextEvent, tx: Y.Transaction) => {
      if (tx.origin === LOCAL_ORIGIN) return;
      if (composition) {
        missedRemote = true;
        selection = null;
        return;
      }
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
    textarea.addEventListener('compositionstart', onCompositionStart);
    textarea.addEventListener('compositionend', onCompositionEnd);
    return () => {
      textarea.removeEventListener('compositionstart', onCompositionStart);
      textarea.removeEventListener('compositionend', onCompositionEnd);
      doc.off('beforeTransaction', beforeTransaction);
      doc.off('afterTransaction', clearSelection);
      ytext.unobserve(onChange);
      textarea.removeEventListener('input', onInput);
    };
  };
}
