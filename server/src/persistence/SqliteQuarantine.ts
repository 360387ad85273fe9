import type Database from 'better-sqlite3';
import type { DocName } from '@pairboard/shared';

/**
 * [HARD8] Update rows that could not be read or merged at load are moved here, out of the
 * document's path: the rest of the document opens, and the bytes stay for an operator to inspect.
 * Deleting a board erases its quarantined rows too (DEL1).
 *
 * The table is created idempotently here rather than by a numbered migration because the
 * migrations module was still being written when this landed; it can move into one unchanged.
 */
export class SqliteQuarantine {
  private readonly moveRow;
  private readonly deleteRow;
  private readonly eraseBoard;
  private readonly countRows;

  constructor(db: Database.Database) {
    // The table is SQLite migration 2 (sqliteMigrations.ts), run before any store opens.
    this.moveRow = db.prepare(
      `INSERT OR IGNORE INTO quarantined_updates (seq, board_id, doc, data, reason, at)
       SELECT seq, board_id, doc, data, @reason, @at FROM doc_updates WHERE seq = @seq AND board_id = @board AND doc = @doc`
    );
    this.deleteRow = db.prepare('DELETE FROM doc_updates WHERE seq = @seq AND board_id = @board AND doc = @doc');
    this.eraseBoard = db.prepare('DELETE FROM quarantined_updates WHERE board_id = ?');
    this.countRows = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM quarantined_updates');
    const move = db.transaction((board: string, doc: DocName, seqs: readonly number[], reason: string) => {
      const at = Date.now();
      for (const seq of seqs) {
        this.moveRow.run({ seq, board, doc, reason, at });
        this.deleteRow.run({ seq, board, doc });
      }
    });
    this.move = move;
  }

  readonly move: (boardId: string, doc: DocName, seqs: readonly number[], reason: string) => void;

  erase(boardId: string): void {
    this.eraseBoard.run(boardId);
  }

  /** Rows held in quarantine in this database, all boards. */
  count(): number {
    return this.countRows.get()?.n ?? 0;
  }
}
