/**
 * [GUIDE11] One Undo offer at a time, shown by UndoToast for a few seconds after a removal. A
 * module-level store on purpose: the sections that remove things and the toast are far apart.
 */
import { announcer } from '../Announcer/announcer.svelte';

export const UNDO_WINDOW_MS = 8_000;

class UndoOffer {
  current = $state<{ id: number; text: string; undo: () => void | Promise<unknown> } | null>(null);
  #timer: ReturnType<typeof setTimeout> | undefined;

  offer(text: string, undo: () => void | Promise<unknown>): void {
    clearTimeout(this.#timer);
    const id = Date.now() + Math.random();
    this.current = { id, text, undo };
    announcer.announce(`${text} Undo is at the bottom of the page.`);
    this.#timer = setTimeout(() => {
      if (this.current?.id === id) this.current = null;
    }, UNDO_WINDOW_MS);
  }

  async take(): Promise<void> {
    const offer = this.current;
    this.current = null;
    clearTimeout(this.#timer);
    await offer?.undo();
  }

  dismiss(): void {
    this.current = null;
    clearTimeout(this.#timer);
  }
}

export const undoOffer = new UndoOffer();
