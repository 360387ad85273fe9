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
    // A 429 from something in front of pairboard (a proxy) still deserves a sentence, not a number.
    if (res.status === 429) return { ok: false, code: 'RateLimited', message: tooManyRequests(res.headers.get('retry-after')) };
    return { ok: false, code: 'Internal', message: `The server answered ${res.status}.` } satisfies Failure;
  } catch {
    return { ok: false, code: 'Internal', message: 'Could not reach pairboard. Check your connection and try again.' };
  }
}

function tooManyRequests(retryAfter: string | null): string {
  const seconds = Number(retryAfter);
  const wait = Number.isFinite(seconds) && seconds > 0 ? (seconds < 90 ? `${Math.ceil(seconds)} seconds` : `${Math.ceil(seconds / 60)} minutes`) : 'a moment';
  return `pairboard is getting a lot of requests from your network. Please try again in ${wait}.`;
}

export const api = {
  createBoard: (body: CreateBoardBody) => request<{ boardId: string; seat: Seat }>('POST', '/api/boards', body),
  getBoard: (id: string) => request<{ board: BoardView }>('GET', `/api/boards/${encodeURIComponent(id)}`),
  joinBoard: (id: string, body: JoinBoardBody) => request<{ seat: Seat }>('POST', `/api/boards/${encodeURIComponent(id)}/seats`, body),
  deleteBoard: (id: string) => request('DELETE', `/api/boards/${encodeURIComponent(id)}`)
};
