/**
 * Print shows every answer, collapsed groups included (PRINT1): Chromium never renders a closed
 * <details>' content, whatever the stylesheet says, so the page opens them on `beforeprint` and
 * closes exactly those again on `afterprint`. Returns the cleanup.
 */
export function openDetailsForPrint(win: Window): () => void {
  let opened: HTMLDetailsElement[] = [];
  const before = () => {
    // Added to, not replaced: a second beforeprint (page.pdf after a dialog's) must not forget the first's.
    const closed = [...win.document.querySelectorAll<HTMLDetailsElement>('details:not([open])')].filter((d) => !d.closest('.no-print'));
    for (const details of closed) details.open = true;
    opened.push(...closed);
  };
  const after = () => {
    for (const details of opened) details.open = false;
    opened = [];
  };
  win.addEventListener('beforeprint', before);
  win.addEventListener('afterprint', after);
  return () => {
    win.removeEventListener('beforeprint', before);
    win.removeEventListener('afterprint', after);
  };
}
