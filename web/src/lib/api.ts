import type { BoardView, Failure, JoinBoardBody, CreateBoardBody, Result, Seat } from '@pairboard/shared';
import { backoffDelay } from './realtime/backoff.ts';

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

/** [RECON4] A board handed over between servers answers 503 `BoardMoved` for a moment: a few quick retries hide it. */
const MOVED_RETRIES = 3;
const MOVED_BACKOFF = { baseMs: 300, maxMs: 2_000 };
const MOVED_SENTENCE = 'The board is moving to another server right now. Please try again in a moment.';

/** Retries a call while the board is moving (only then: other answers, refusals included, come back at once). */
async function retryWhileMoved<T extends object>(call: () => Promise<Result<T>>): Promise<Result<T>> {
  for (let attempt = 0; ; attempt++) {
    const result = await call();
    if (result.ok || result.code !== 'BoardMoved') return result;
    if (attempt >= MOVED_RETRIES) return { ...result, message: MOVED_SENTENCE };
    await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, MOVED_BACKOFF)));
  }
}

export const api = {
  createBoard: (body: CreateBoardBody) => request<{ boardId: string; seat: Seat }>('POST', '/api/boards', body),
  getBoard: (id: string) => request<{ board: BoardView }>('GET', `/api/boards/${encodeURIComponent(id)}`),
  joinBoard: (id: string, body: JoinBoardBody) => retryWhileMoved(() => request<{ seat: Seat }>('POST', `/api/boards/${encodeURIComponent(id)}/seats`, body)),
  deleteBoard: (id: string) => request('DELETE', `/api/boards/${encodeURIComponent(id)}`)
};
