/**
 * Print shows every answer, collapsed groups included (PRINT1): Chromium never renders a closed
 * <details>' content, whatever the stylesheet says, so the page opens them on `beforeprint` and
 * closes exactly those again on `afterprint`. Returns the cleanup.
 */
export function openDetailsForPrint(win: Window): () => void {
  let opened: HTMLDetailsElement[] = [];
  const before = () => {
    opened = [...win.document.querySelectorAll<HTMLDetailsElement>('details:not([open])')].filter((d) => !d.closest('.no-print'));
    for (const details of opened) details.open = true;
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
