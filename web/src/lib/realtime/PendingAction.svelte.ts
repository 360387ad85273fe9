import type { Command, Result } from '@pairboard/shared';

/** Whatever can send a command: the live board (or a stand-in in a test). */
export type CommandSender = { send(command: Command): Promise<Result> };

/**
 * Busy and error state for a component's server-decided actions: buttons disable while one is in
 * flight, and the refusal's sentence is shown until the next action succeeds.
 */
export class PendingAction {
  busy = $state(false);
  error = $state('');
  readonly #board: () => CommandSender;

  /** Takes a getter so a component can pass its `board` prop and follow it if it changes. */
  constructor(board: () => CommandSender) {
    this.#board = board;
  }

  /** Sends the command; true when the server applied it. */
  async run(command: Command): Promise<boolean> {
    this.busy = true;
    try {
      const result = await this.#board().send(command);
      this.error = result.ok ? '' : result.message;
      return result.ok;
    } finally {
      this.busy = false;
    }
  }
}
