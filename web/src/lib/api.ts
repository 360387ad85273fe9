import type { BoardView, Failure, JoinBoardBody, CreateBoardBody, Result, Seat } from '@pairboard/shared';

/** The REST calls the pages make. Every outcome is a Result; network trouble becomes one too. */
async function request<T extends object>(method: string, path: string, body?: unknown): Promise<Result<T>> {
  try {
    const res = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      credentials: 'same-origin'
    });
    const json = (await res.json().catch(() => null)) as Result<T> | null;
    if (json && typeof json === 'object' && 'ok' in json) return json;
    return { ok: false, code: 'Internal', message: `The server answered ${res.status}.` } satisfies Failure;
  } catch {
    return { ok: false, code: 'Internal', message: 'Could not reach pairboard. Check your connection and try again.' };
  }
}

export const api = {
  createBoard: (body: CreateBoardBody) => request<{ boardId: string; seat: Seat }>('POST', '/api/boards', body),
  getBoard: (id: string) => request<{ board: BoardView }>('GET', `/api/boards/${encodeURIComponent(id)}`),
  joinBoard: (id: string, body: JoinBoardBody) => request<{ seat: Seat }>('POST', `/api/boards/${encodeURIComponent(id)}/seats`, body),
  deleteBoard: (id: string) => request('DELETE', `/api/boards/${encodeURIComponent(id)}`)
};
