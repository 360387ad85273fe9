import { DOC_NAMES, SEATS, type BoardView, type DocName, type Seat } from '@pairboard/shared';

/**
 * [OFF1–OFF6] This browser's local copy of a board: the IndexedDB databases y-indexeddb keeps for
 * the documents this seat writes (its own and the shared one), and the board view the page needs
 * to open without a network. Nothing here touches Yjs, so the page may erase a copy too.
 */

const VIEW_KEY_PREFIX = 'pairboard:board:';

/** The IndexedDB database of one document of one board. */
export function localDocName(boardId: string, doc: DocName): string {
  return `pairboard:${boardId}:${doc}`;
}

/**
 * [OFF1] The documents kept on this device: the seat's own and the shared one. The partner's seat
 * document is not: it is theirs, read-only here, and always comes from the server.
 */
export function locallyKeptDocs(you: Seat): DocName[] {
  return DOC_NAMES.filter((name) => name === you || name === 'shared');
}

/** [OFF4] Remembers the seated view so the board opens offline after the first visit. */
export function rememberBoardView(view: BoardView): void {
  if (view.you === null) return;
  try {
    localStorage.setItem(VIEW_KEY_PREFIX + view.id, JSON.stringify(view));
  } catch {
    // Storage full or blocked (private mode): the board still works online.
  }
}

/** The remembered view, or null when there is none or it does not read as one. */
export function recallBoardView(boardId: string): BoardView | null {
  try {
    const raw = localStorage.getItem(VIEW_KEY_PREFIX + boardId);
    const parsed: unknown = raw ? JSON.parse(raw) : null;
    return isStoredBoardView(parsed, boardId) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * The stored view's shape, checked by hand: zod would be the house way, but it is not in the
 * page's first-load JS (and its JIT probe, `Function('')`, trips the CSP's script-src).
 */
function isStoredBoardView(value: unknown, boardId: string): value is BoardView {
  if (typeof value !== 'object' || value === null) return false;
  const view = value as Record<string, unknown>;
  const seats = view.seats as Record<string, unknown> | null | undefined;
  const isSummary = (s: unknown) => s === null || (typeof s === 'object' && typeof (s as { name?: unknown }).name === 'string');
  return (
    view.id === boardId &&
    typeof view.createdAt === 'number' &&
    SEATS.includes(view.you as Seat) &&
    typeof seats === 'object' &&
    seats !== null &&
    SEATS.every((seat) => isSummary(seats[seat]))
  );
}

/**
 * [OFF6] Erases this board's local copy: every document database (all three names, whatever
 * seat this browser held) and the remembered view. Resolves once the deletions are done or blocked.
 */
export async function eraseLocalCopy(boardId: string): Promise<void> {
  try {
    localStorage.removeItem(VIEW_KEY_PREFIX + boardId);
  } catch {
    // nothing to erase
  }
  if (typeof indexedDB === 'undefined') return;
  await Promise.all(
    DOC_NAMES.map(
      (doc) =>
        new Promise<void>((resolve) => {
          const request = indexedDB.deleteDatabase(localDocName(boardId, doc));
          request.onsuccess = request.onerror = () => resolve();
          // Still open somewhere (another tab): the deletion completes when it closes.
          request.onblocked = () => resolve();
        })
    )
  );
}
